/**
 * The yardsticks built in the same run as the functions: an empty module (the cost of a bare
 * `node` start) and reference bundles that do nothing but create a DynamoDB DocumentClient.
 * `reference` is built the way a typical project ships one: esbuild bundle + minify, otherwise
 * defaults (so the SDK's CommonJS builds, esbuild's default main fields on Node).
 * `reference-esm` differs in one setting, `mainFields: ["module", "main"]` (the SDK's ES module
 * builds, which tree-shake better): a tougher yardstick, shown next to the first.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BuildOptions, build } from "esbuild";
import { bundleOptions, projectRoot } from "../build/build.ts";

export interface Reference {
  readonly name: "reference" | "reference-esm";
  readonly path: string;
}

/** Not a reference to beat: what our own build of the client alone costs (see `clientOnlyPath`). */
export const clientOnlyName = "client-only";

export interface Yardsticks {
  /** An empty ES module. */
  readonly emptyPath: string;
  /**
   * The bare SDK of the warm comparison, built like `reference`: its DocumentClient (region,
   * credentials and endpoint from the environment) and the five commands our handlers send.
   */
  readonly bareSdkPath: string;
  /**
   * The floor under our functions: common/dynamodb.ts's DocumentClient and nothing else, built
   * with the functions' own options (Lambda-only swaps included). No handler can load faster.
   */
  readonly clientOnlyPath: string;
  /** The reference bundles: `DynamoDBDocumentClient.from(new DynamoDBClient({}))`. */
  readonly references: readonly Reference[];
  /** Removes the temporary directory holding both. */
  dispose(): Promise<void>;
}

const referenceSource = `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
`;

// The one option a typical ESM bundle of the SDK cannot do without (see scripts/build/build.ts).
const requireShim =
  'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

const bareSdkSource = `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
`;

/** Builds the empty module and the reference bundles into a fresh temporary directory. */
export async function buildYardsticks(): Promise<Yardsticks> {
  const dir = await mkdtemp(path.join(tmpdir(), "items-api-bench-"));
  const emptyPath = path.join(dir, "empty.mjs");
  await writeFile(emptyPath, "");
  const variants = [
    { name: "reference", options: {} },
    { name: "reference-esm", options: { mainFields: ["module", "main"] } },
  ] satisfies { name: Reference["name"]; options: BuildOptions }[];
  const references = await Promise.all(
    variants.map(async ({ name, options }) => {
      const outfile = path.join(dir, `${name}.mjs`);
      await build({
        stdin: { contents: referenceSource, resolveDir: projectRoot, loader: "js" },
        bundle: true,
        minify: true,
        platform: "node",
        format: "esm",
        banner: { js: requireShim },
        outfile,
        logLevel: "warning",
        ...options,
      });
      return { name, path: outfile };
    }),
  );
  const clientOnlyPath = path.join(dir, "client-only.mjs");
  await build({
    ...bundleOptions,
    absWorkingDir: projectRoot,
    stdin: {
      contents: `import { createDocumentClient } from "./common/dynamodb.ts";\nexport const client = createDocumentClient();\n`,
      resolveDir: projectRoot,
      loader: "ts",
    },
    outfile: clientOnlyPath,
  });
  const bareSdkPath = path.join(dir, "bare-sdk.mjs");
  await build({
    stdin: { contents: bareSdkSource, resolveDir: projectRoot, loader: "js" },
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    banner: { js: requireShim },
    outfile: bareSdkPath,
    logLevel: "warning",
  });
  return {
    emptyPath,
    bareSdkPath,
    clientOnlyPath,
    references,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
