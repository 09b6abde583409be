/**
 * Bundles every function of the route table into `dist/<name>/index.mjs`: ESM, minified, the
 * AWS SDK inside, `target: node20` so one file runs on Lambda nodejs22.x and on local Node 20.
 * The output is deterministic: two builds of the same source are byte-identical.
 *
 *   npm run build            build and print the size table
 *   npm run build -- --quiet build without the table
 */

import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build } from "esbuild";
import { routes } from "../common/routes.ts";
import { builtinsViaRequire } from "./builtins-via-require.ts";
import { lambdaOnlySdk } from "./lambda-only-sdk.ts";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const distDir = path.join(projectRoot, "dist");

/** Where the bundle of a function lands. */
export function bundlePathOf(name: string): string {
  return path.join(distDir, name, "index.mjs");
}

// ESM has no `require`, which CommonJS in the bundle (and builtinsViaRequire) calls for Node
// built-ins. process.getBuiltinModule (Node 20.16+, Lambda's nodejs22.x) gives them without
// starting the CommonJS loader; older Node falls back to createRequire.
const requireShim =
  "const require=process.getBuiltinModule?(id)=>process.getBuiltinModule(id)" +
  ':(await import("node:module")).createRequire(import.meta.url);';

/** esbuild options shared by every function (also used by the benchmarks). */
export const bundleOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  // Prefer the SDK's ES module builds: they tree-shake far better than the CommonJS ones.
  mainFields: ["module", "main"],
  legalComments: "none",
  banner: { js: requireShim },
  // Leaves out the SDK code that never runs in our functions on Lambda (see the plugin).
  plugins: [lambdaOnlySdk, builtinsViaRequire],
  logLevel: "warning",
};

export interface BundleSize {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** Builds every function of the route table and returns their sizes. */
export async function buildAll(): Promise<BundleSize[]> {
  await Promise.all(
    routes.map((route) =>
      build({
        ...bundleOptions,
        absWorkingDir: projectRoot,
        entryPoints: [route.entry],
        outfile: bundlePathOf(route.name),
      }),
    ),
  );
  return Promise.all(
    routes.map(async ({ name }) => {
      const code = await readFile(bundlePathOf(name));
      return { name, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
    }),
  );
}

function formatTable(sizes: readonly BundleSize[]): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const rows = sizes.map((s) => [s.name, kib(s.bytes), kib(s.gzipBytes)]);
  const all = [["function", "minified", "gzip"], ...rows];
  const widths = [0, 1, 2].map((i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  "),
    )
    .join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const sizes = await buildAll();
  if (!process.argv.includes("--quiet")) {
    console.log(formatTable(sizes));
    console.log(
      `built ${sizes.length} bundles into dist/ in ${Math.round(performance.now() - started)} ms`,
    );
  }
}
