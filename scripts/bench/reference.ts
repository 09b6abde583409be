/**
 * The yardsticks built in the same run as the functions: an empty module (the cost of a bare
 * `node` start) and a reference bundle that does nothing but create a DynamoDB DocumentClient,
 * built the way a typical project ships one (esbuild bundle + minify, otherwise defaults).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { projectRoot } from "../build.ts";

export interface Yardsticks {
  /** An empty ES module. */
  readonly emptyPath: string;
  /** The reference bundle: `DynamoDBDocumentClient.from(new DynamoDBClient({}))`. */
  readonly referencePath: string;
  /** Removes the temporary directory holding both. */
  dispose(): Promise<void>;
}

const referenceSource = `
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
`;

// The one option a typical ESM bundle of the SDK cannot do without (see scripts/build.ts).
const requireShim =
  'import{createRequire as __cr}from"node:module";const require=__cr(import.meta.url);';

/** Builds the empty module and the reference bundle into a fresh temporary directory. */
export async function buildYardsticks(): Promise<Yardsticks> {
  const dir = await mkdtemp(path.join(tmpdir(), "items-api-bench-"));
  const emptyPath = path.join(dir, "empty.mjs");
  const referencePath = path.join(dir, "reference.mjs");
  await writeFile(emptyPath, "");
  await build({
    stdin: { contents: referenceSource, resolveDir: projectRoot, loader: "js" },
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    banner: { js: requireShim },
    outfile: referencePath,
    logLevel: "warning",
  });
  return {
    emptyPath,
    referencePath,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
