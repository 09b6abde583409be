/**
 * Bundles every function of the route table into `dist/<name>/`: `index.mjs` (ESM, minified, the
 * AWS SDK inside, for Lambda's nodejs24.x), plus a
 * chunk beside it for each part the handler imports on demand (code splitting: Powertools'
 * idempotency in create-item). The output is deterministic: two builds are byte-identical.
 *
 *   npm run build                      build and print the size table
 *   npm run build -- --quiet           build without the table
 *   npm run build -- --record-budgets  build and record the sizes as budgets (budgets.ts)
 */

import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { type Route, routes } from "../../common/routes.ts";
import { budgetsFile, recordBudgets } from "./budgets.ts";
import { builtinsViaRequire } from "./builtins-via-require.ts";
import { plainIdempotencyConfig, powertoolsSwaps } from "./powertools-swaps.ts";
import { sdkSwaps, sideEffectFree } from "./sdk-swaps.ts";
import { type Swap, verifiedSwaps } from "./swaps.ts";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const distDir = path.join(projectRoot, "dist");

/** The folder of a function's bundle: what its zip holds. */
export function functionDirOf(name: string): string {
  return path.join(distDir, name);
}

/** Where the entry of a function's bundle lands: what Lambda loads as `index.handler`. */
export function bundlePathOf(name: string): string {
  return path.join(functionDirOf(name), "index.mjs");
}

// ESM has no `require`, which CommonJS in the bundle (and builtinsViaRequire) calls for Node
// built-ins. process.getBuiltinModule gives them without starting the CommonJS loader.
const requireShim = "const require=(id)=>process.getBuiltinModule(id);";

/** Every swap of the build, in the order their plugin applies them. */
export const swaps: readonly Swap[] = [...sdkSwaps, ...powertoolsSwaps];

/** The build's plugins, given its swaps (the swap figures build with one left out). */
export function pluginsWith(applied: readonly Swap[]) {
  return [
    verifiedSwaps("swaps", applied),
    plainIdempotencyConfig,
    sideEffectFree,
    builtinsViaRequire,
  ];
}

/** esbuild options shared by every function (also used by the benchmarks). */
export const bundleOptions: BuildOptions = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node24",
  minify: true,
  // Prefer the SDK's ES module builds: they tree-shake far better than the CommonJS ones.
  mainFields: ["module", "main"],
  legalComments: "none",
  banner: { js: requireShim },
  // Leaves out the SDK code that never runs in our functions on Lambda (see swaps.ts).
  plugins: pluginsWith(swaps),
  logLevel: "warning",
};

/**
 * The options of one function's build into `outdir`: entry `index.mjs`, and a chunk for each
 * dynamic import of our code, loaded only when first imported.
 */
export function functionBuildOptions(route: Pick<Route, "entry">, outdir: string): BuildOptions {
  return {
    ...bundleOptions,
    absWorkingDir: projectRoot,
    entryPoints: { index: route.entry },
    outdir,
    splitting: true,
    chunkNames: "[name]-[hash]",
    outExtension: { ".js": ".mjs" },
  };
}

/** One file of a function's bundle, named relative to its folder. */
export interface BundleFile {
  readonly name: string;
  readonly content: Uint8Array;
  /** True if importing index.mjs loads it (a chunk imported on demand does not). */
  readonly loadedAtInit: boolean;
}

/**
 * Builds one function in memory, with exactly the options of `npm run build` (or other plugins:
 * the swap figures leave one out at a time).
 */
export async function bundleFilesOf(
  route: Pick<Route, "entry">,
  plugins = bundleOptions.plugins,
): Promise<BundleFile[]> {
  // Any folder will do: file names are relative to it, and nothing is written.
  const outdir = path.join(distDir, "in-memory");
  const { outputFiles, metafile } = await build({
    ...functionBuildOptions(route, outdir),
    plugins,
    write: false,
    metafile: true,
  });
  const atInit = filesLoadedAtInit(metafile, path.relative(projectRoot, outdir));
  return outputFiles
    .map((file) => {
      const name = path.relative(outdir, file.path);
      return { name, content: file.contents, loadedAtInit: atInit.has(name) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** index.mjs and every chunk it imports statically, directly or not. */
function filesLoadedAtInit(metafile: Metafile, outdir: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (output: string) => {
    const name = path.relative(outdir, output);
    if (loaded.has(name)) return;
    loaded.add(name);
    for (const imported of metafile.outputs[output]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  visit(path.join(outdir, "index.mjs"));
  return loaded;
}

export interface BundleSize {
  readonly name: string;
  /** Every file of the bundle: what the function ships. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** The files a cold start loads: index.mjs and its static imports. */
  readonly initBytes: number;
}

/** Builds one function into `dir`, leaving no file of an earlier build behind; returns its files. */
export async function buildFunctionInto(
  route: Pick<Route, "entry">,
  dir: string,
): Promise<BundleFile[]> {
  const files = await bundleFilesOf(route);
  await mkdir(dir, { recursive: true });
  await Promise.all(files.map((file) => writeFile(path.join(dir, file.name), file.content)));
  const names = new Set(files.map((file) => file.name));
  const stale = (await readdir(dir)).filter((name) => !names.has(name));
  await Promise.all(stale.map((name) => rm(path.join(dir, name), { recursive: true })));
  return files;
}

/** The sizes of a function's files. */
export function sizeOfFiles(name: string, files: readonly BundleFile[]): BundleSize {
  const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0);
  return {
    name,
    bytes: sum(files.map((file) => file.content.length)),
    gzipBytes: sum(files.map((file) => gzipSync(file.content, { level: 9 }).length)),
    initBytes: sum(files.filter((file) => file.loadedAtInit).map((file) => file.content.length)),
  };
}

/** Builds one function into dist/<name>/ and returns its sizes. */
async function buildInto(route: Route): Promise<BundleSize> {
  return sizeOfFiles(route.name, await buildFunctionInto(route, functionDirOf(route.name)));
}

/** Builds every function of the route table and returns their sizes. */
export function buildAll(): Promise<BundleSize[]> {
  return Promise.all(routes.map(buildInto));
}

function formatTable(sizes: readonly BundleSize[]): string {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const rows = sizes.map((s) => [s.name, kib(s.bytes), kib(s.initBytes), kib(s.gzipBytes)]);
  const all = [["function", "minified", "at cold start", "gzip"], ...rows];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...all.map((row) => row[i]?.length ?? 0)));
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
  try {
    const sizes = await buildAll();
    if (process.argv.includes("--record-budgets")) {
      await recordBudgets(sizes);
      console.log(`recorded the sizes as budgets in ${path.relative(projectRoot, budgetsFile)}`);
    }
    if (!process.argv.includes("--quiet")) {
      console.log(formatTable(sizes));
      console.log(
        `built ${sizes.length} bundles into dist/ in ${Math.round(performance.now() - started)} ms`,
      );
    }
  } catch (error) {
    // esbuild's message lists every error; its stack says nothing more.
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
