/**
 * The bundle-time swaps fail loudly: every stub exports what the module it replaces exports, and
 * a build whose swap no longer fits (its target gone, its exports or patched lines changed)
 * fails with a message naming the swap and what to re-check. The failures are shown on a small
 * package made up for the purpose, with the real plugin.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { build } from "esbuild";
import { projectRoot, swaps } from "../../scripts/build/build.ts";
import {
  plainIdempotencyConfig,
  unsupportedIdempotencyConfig,
} from "../../scripts/build/powertools-swaps.ts";
import {
  exportsMismatch,
  exportsOf,
  replaceOnce,
  type Swap,
  stubsDir,
  verifiedSwaps,
} from "../../scripts/build/swaps.ts";

const nodeModules = path.join(projectRoot, "node_modules");

/** The installed module a swap replaces (the ES module build, as the bundles take it). */
async function originalOf(swap: Swap & { kind: "alias" | "stub" }): Promise<string> {
  if (swap.kind === "stub") return path.join(nodeModules, swap.package, swap.file);
  const dir = path.join(nodeModules, swap.alias);
  const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {
    module: string;
  };
  return path.join(dir, manifest.module);
}

const stubbed = swaps.filter(
  (swap): swap is Swap & { kind: "alias" | "stub" } =>
    swap.kind === "alias" || swap.kind === "stub",
);

for (const swap of stubbed) {
  test(`the stub of swap "${swap.name}" exports what ${swap.kind === "alias" ? swap.alias : swap.file} exports`, async (t) => {
    const original = await originalOf(swap);
    const [want, have] = await Promise.all([
      exportsOf(original),
      exportsOf(path.join(stubsDir, swap.stub)),
    ]);
    t.true(want.length > 0, original);
    t.deepEqual(have, want);
    t.is(await exportsMismatch(swap, original), undefined);
  });
}

const patches = swaps.filter((swap): swap is Swap & { kind: "patch" } => swap.kind === "patch");
for (const swap of patches) {
  test(`patch "${swap.name}" changes the installed ${swap.file} and refuses a file without its lines`, async (t) => {
    const source = await readFile(path.join(nodeModules, swap.package, swap.file), "utf8");
    const patched = swap.patch(source);
    t.true(patched.length > 0);
    t.not(patched, source);
    t.throws(() => swap.patch(swap.file.endsWith(".json") ? "{}" : "export {};\n"));
  });
}

test("every swap has a name of its own", (t) => {
  t.is(new Set(swaps.map((swap) => swap.name)).size, swaps.length);
});

/** A made-up package, @fixture/lib 1.0.0, and an entry that imports it and @fixture/app. */
async function fixture(): Promise<{
  dir: string;
  write: (file: string, text: string) => Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), "items-api-swaps-"));
  const write = async (file: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  };
  const lib = "node_modules/@fixture/lib";
  await write(
    `${lib}/package.json`,
    '{ "name": "@fixture/lib", "version": "1.0.0", "module": "index.js" }',
  );
  await write(
    `${lib}/index.js`,
    'export { used } from "./used.js";\nexport { rare } from "./rare.js";\nimport "@fixture/heavy";\n',
  );
  await write(
    `${lib}/used.js`,
    'import { greeting } from "./config.js";\nexport const used = () => greeting;\n',
  );
  await write(`${lib}/config.js`, 'export const greeting = "hello from the file";\n');
  await write(
    `${lib}/rare.js`,
    'export const rare = () => "rare, and big";\nexport const rarer = 2;\n',
  );
  const heavy = "node_modules/@fixture/heavy";
  await write(
    `${heavy}/package.json`,
    '{ "name": "@fixture/heavy", "version": "2.0.0", "module": "index.js" }',
  );
  await write(
    `${heavy}/index.js`,
    'export const heavy = "heavy";\nexport const heavier = "heavier";\n',
  );
  await write(
    "stubs/rare.js",
    "export const rare = () => { throw new Error('not bundled'); };\nexport const rarer = 0;\n",
  );
  await write("stubs/heavy.js", 'export const heavy = "light";\nexport const heavier = "light";\n');
  await write("entry.js", 'import { used } from "@fixture/lib";\nconsole.log(used());\n');
  return { dir, write };
}

const fixtureSwaps: readonly Swap[] = [
  {
    name: "rare",
    kind: "stub",
    package: "@fixture/lib",
    file: "rare.js",
    stub: "rare.js",
    proof: "nothing calls rare.",
  },
  {
    name: "heavy",
    kind: "alias",
    alias: "@fixture/heavy",
    package: "@fixture/lib",
    stub: "heavy.js",
    proof: "heavy is imported for nothing.",
  },
  {
    name: "greeting",
    kind: "patch",
    package: "@fixture/lib",
    file: "config.js",
    patch: (source) => replaceOnce(source, '"hello from the file"', '"hello from the patch"'),
    proof: "the greeting is ours to choose.",
  },
];

async function buildFixture(dir: string): Promise<string> {
  const { outputFiles } = await build({
    absWorkingDir: dir,
    entryPoints: ["entry.js"],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
    plugins: [verifiedSwaps("swaps", fixtureSwaps, path.join(dir, "stubs"))],
  });
  return outputFiles.map((file) => file.text).join("");
}

test("swaps that fit are applied", async (t) => {
  const { dir } = await fixture();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const output = await buildFixture(dir);
  t.regex(output, /hello from the patch/);
  t.notRegex(output, /hello from the file|rare, and big|heavier/);
});

const failsNaming = test.macro({
  async exec(
    t,
    change: (write: (file: string, text: string) => Promise<void>) => Promise<void>,
    message: RegExp,
  ) {
    const { dir, write } = await fixture();
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await change(write);
    const error = await t.throwsAsync(buildFixture(dir));
    t.regex(error?.message ?? "", message);
  },
  title: (what = "") => `the build fails, naming the swap and what to re-check, when ${what}`,
});

test(
  "a replaced file is gone",
  failsNaming,
  async (write) => {
    await write(
      "node_modules/@fixture/lib/index.js",
      'export { used } from "./used.js";\nexport { rare } from "./rare-v2.js";\nimport "@fixture/heavy";\n',
    );
    await write("node_modules/@fixture/lib/rare-v2.js", "export const rare = () => 1;\n");
  },
  /swap "rare" matched nothing \(rare\.js\) in a build that includes @fixture\/lib 1\.0\.0: re-check that nothing calls rare; then point the swap at the new file or drop it/,
);

test(
  "a replaced file exports something new",
  failsNaming,
  (write) =>
    write("node_modules/@fixture/lib/rare.js", "export const rare = 1, rarer = 2, rarest = 3;\n"),
  /swap "rare": @fixture\/lib 1\.0\.0's rare\.js exports rare, rarer, rarest, but its stub scripts\/build\/stubs\/rare\.js exports rare, rarer: re-check that nothing calls rare; then update the stub or drop the swap/,
);

test(
  "an aliased package exports something new",
  failsNaming,
  (write) =>
    write(
      "node_modules/@fixture/heavy/index.js",
      "export const heavy = 1, heavier = 2, heaviest = 3;\n",
    ),
  /swap "heavy": @fixture\/heavy 2\.0\.0 exports heavier, heaviest, heavy, but its stub .* exports heavier, heavy: re-check that heavy is imported for nothing/,
);

test(
  "an aliased package is no longer imported",
  failsNaming,
  (write) =>
    write(
      "node_modules/@fixture/lib/index.js",
      'export { used } from "./used.js";\nexport { rare } from "./rare.js";\n',
    ),
  /swap "heavy" matched nothing \(an import of @fixture\/heavy\) in a build that includes @fixture\/lib 1\.0\.0/,
);

test(
  "the lines a patch changes are gone",
  failsNaming,
  (write) =>
    write(
      "node_modules/@fixture/lib/config.js",
      "export const greeting = 'hello from the file';\n",
    ),
  /swap "greeting": @fixture\/lib 1\.0\.0's config\.js no longer has the lines the patch changes \(expected exactly one "\\"hello from the file\\""\): re-check that the greeting is ours to choose; then update the patch/,
);

test("a swap whose package is not in a build is not required there", async (t) => {
  const { dir, write } = await fixture();
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await write("entry.js", "console.log(1);\n");
  await t.notThrowsAsync(buildFixture(dir));
});

test("the idempotency configuration fits the Powertools swaps", async (t) => {
  const source = await readFile(path.join(projectRoot, "common", "idempotency.ts"), "utf8");
  t.regex(source, /eventKeyJmesPath/); // the check reads a file that configures Powertools
  t.deepEqual(unsupportedIdempotencyConfig(source), []);
  const changed = (from: RegExp, to: string) =>
    unsupportedIdempotencyConfig(source.replace(from, to)).length > 0;
  t.true(changed(/eventKeyJmesPath: "key"/, 'eventKeyJmesPath: "powertools_json(body).key"'));
  t.true(changed(/eventKeyJmesPath: "key"/, "eventKeyJmesPath: keyExpression"));
  t.true(changed(/hashFunction/, "useLocalCache: true, hashFunction"));
});

test("the build fails naming the file that configures Powertools beyond the swaps, whatever its name", async (t) => {
  // Inside the project, so that Powertools resolves from its node_modules.
  await mkdir(path.join(projectRoot, "dist"), { recursive: true });
  const dir = await mkdtemp(path.join(projectRoot, "dist", "powertools-guard-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const entry = path.join(dir, "renamed-idempotency.ts");
  await writeFile(
    entry,
    'import { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";\n' +
      'export const config = new IdempotencyConfig({ eventKeyJmesPath: "key", useLocalCache: true });\n',
  );
  const error = await t.throwsAsync(
    build({
      absWorkingDir: projectRoot,
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      logLevel: "silent",
      plugins: [plainIdempotencyConfig],
    }),
  );
  t.regex(
    error?.message ?? "",
    /dist\/powertools-guard-\w+\/renamed-idempotency\.ts configures Powertools with useLocalCache, which the swaps jmespath-functions, .* leave out/,
  );
});
