/**
 * The layout's rules (docs/ARCHITECTURE.md), read from the imports (see
 * tests/helpers/import-graph.ts). What shipped code imports is judged as it runs: type-only
 * imports are erased before anything runs, so `import type { Context } from "aws-lambda"` (a
 * devDependency, @types/aws-lambda) is allowed in handlers/ and common/. Circles are judged as
 * the design goes: two modules that need each other, if only for a type, are one tangle.
 */

import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import test from "ava";
import { routes } from "../../common/routes.ts";
import {
  cyclesOf,
  type ImportEdge,
  importGraphOf,
  shippedImportProblem,
  sourceFilesOf,
} from "../helpers/import-graph.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const { dependencies } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

/** What shipped code (`handlers/`, `common/`) imports that it may not, one line each. */
async function shippedCodeProblems(
  projectRoot: string,
  deps: Readonly<Record<string, string>>,
): Promise<{ edges: ImportEdge[]; problems: string[] }> {
  const edges = await importGraphOf(
    projectRoot,
    sourceFilesOf(projectRoot, ["handlers", "common"]),
  );
  const problems = edges
    .filter((edge) => /^(handlers|common)\//.test(edge.from))
    .flatMap((edge) => {
      const problem = shippedImportProblem(edge, deps);
      return problem === undefined ? [] : [`${edge.from} imports ${edge.to}: ${problem}`];
    });
  return { edges, problems: problems.sort() };
}

test("nothing under handlers/ or common/ imports scripts/, infra/, cdktf, constructs or a dev dependency", async (t) => {
  const { edges, problems } = await shippedCodeProblems(root, dependencies);
  // The walk saw every handler of the route table (an empty walk would find nothing wrong).
  for (const route of routes)
    t.true(
      edges.some((edge) => edge.from === route.entry),
      route.entry,
    );
  t.deepEqual(problems, []);
});

test("no import circle among the project's own modules (main.ts, scripts/, common/, handlers/, infra/)", async (t) => {
  const files = ["main.ts", ...sourceFilesOf(root, ["scripts", "common", "handlers", "infra"])];
  t.deepEqual(cyclesOf(await importGraphOf(root, files, { typeImports: true })), []);
});

/** Writes `files` (path → contents) into a fresh project folder; removed after the test. */
async function fixture(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "items-api-architecture-"));
  const tsconfig = JSON.stringify({ compilerOptions: { verbatimModuleSyntax: true } });
  for (const [file, contents] of Object.entries({ "tsconfig.json": tsconfig, ...files })) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), contents);
  }
  return dir;
}

test("the rule names each forbidden import of shipped code, and lets type-only imports through", async (t) => {
  const dir = await fixture({
    "common/fine.ts": [
      'import type { Context } from "aws-lambda";',
      'import type { Plugin } from "esbuild";',
      'import { createHash } from "node:crypto";',
      'import { readFileSync } from "fs";',
      'import KSUID from "ksuid";',
      'import { other } from "./other.ts";',
      "export const fine = (c: Context, p: Plugin) => [c, p, createHash, readFileSync, KSUID, other];",
    ].join("\n"),
    "common/other.ts": "export const other = 1;",
    "common/wrong.ts": [
      'import { tool } from "../scripts/tool.ts";',
      'import { stack } from "../infra/stack.ts";',
      'import { App } from "cdktf";',
      'import { Construct } from "constructs";',
      'import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";',
      'import { build } from "esbuild";',
      // Not `import type`: under verbatimModuleSyntax it stays, and loads a package with no code.
      'import { Context } from "aws-lambda";',
      'import { undeclared } from "@smithy/undeclared/sub";',
      "export const wrong = [tool, stack, App, Construct, DynamodbTable, build, undeclared];",
      'export const later = () => import("../scripts/lazy.ts");',
      "export type Wrong = Context;",
    ].join("\n"),
    "handlers/handler.ts": 'import { fine } from "../common/fine.ts";\nimport "../main.ts";\nfine;',
    "scripts/tool.ts": "export const tool = 1;",
    "scripts/lazy.ts": "export const lazy = 1;",
    "infra/stack.ts": "export const stack = 1;",
    "main.ts": "export {};",
  });
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const deps = { ksuid: "1", cdktf: "1", constructs: "1", "@cdktf/provider-aws": "1" };
  const { problems } = await shippedCodeProblems(dir, deps);
  t.deepEqual(problems, [
    "common/wrong.ts imports @cdktf/provider-aws/lib/dynamodb-table/index.js: infrastructure code",
    "common/wrong.ts imports @smithy/undeclared/sub: not a production dependency",
    "common/wrong.ts imports aws-lambda: not a production dependency",
    "common/wrong.ts imports cdktf: infrastructure code",
    "common/wrong.ts imports constructs: infrastructure code",
    "common/wrong.ts imports esbuild: not a production dependency",
    "common/wrong.ts imports infra/stack.ts: a file that does not ship",
    "common/wrong.ts imports scripts/lazy.ts: a file that does not ship",
    "common/wrong.ts imports scripts/tool.ts: a file that does not ship",
    "handlers/handler.ts imports main.ts: a file that does not ship",
  ]);
});

test("a circle of imports is found, through type-only imports only when asked", async (t) => {
  const dir = await fixture({
    "scripts/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b;',
    "scripts/b.ts": 'import { c } from "./c.ts";\nexport const b = () => c;',
    "scripts/c.ts": 'import { a } from "./a.ts";\nexport const c = () => a;',
    "scripts/self.ts": 'import * as self from "./self.ts";\nexport const me = self;',
    "scripts/typed.ts": 'import type { T } from "./types.ts";\nexport const typed: T = 1;',
    "scripts/types.ts": 'import { typed } from "./typed.ts";\nexport type T = typeof typed;',
    "scripts/reexport.ts": 'export type { Alias } from "./alias.ts";',
    "scripts/alias.ts":
      'import type { Alias as Self } from "./reexport.ts";\nexport type Alias = Self;',
    "main.ts": 'import { a } from "./scripts/a.ts";\na;',
  });
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const files = ["main.ts", ...sourceFilesOf(dir, ["scripts"])];
  const running = [["scripts/a.ts", "scripts/b.ts", "scripts/c.ts"], ["scripts/self.ts"]];
  t.deepEqual(cyclesOf(await importGraphOf(dir, files)), running);
  t.deepEqual(cyclesOf(await importGraphOf(dir, files, { typeImports: true })), [
    ...running.slice(0, 1),
    ["scripts/alias.ts", "scripts/reexport.ts"],
    ...running.slice(1),
    ["scripts/typed.ts", "scripts/types.ts"],
  ]);
});
