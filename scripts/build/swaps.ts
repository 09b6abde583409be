/**
 * Bundle-time swaps, verified: an esbuild plugin that replaces code of the AWS SDK and Powertools
 * that provably never runs in our functions on Lambda, and fails the build, naming the swap and
 * what to re-check, as soon as a swap no longer fits what it replaces:
 *
 * - a swap that matches nothing in a build that includes its package (a file moved or renamed);
 * - a stub whose exports differ from those of the module it replaces (a module that changed);
 * - a patch whose lines are no longer in the file it patches.
 *
 * Stubs are checked-in modules in `scripts/build/stubs/`; sdk-swaps.ts and powertools-swaps.ts
 * list the swaps with the proof of each. The source (tests, tsx) still uses the packages as
 * published: only the bundles differ.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildResult, build, type OnEndResult, type Plugin, type PluginBuild } from "esbuild";

export const stubsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "stubs");

interface SwapBase {
  /** How the swap is named in messages and in docs/PERFORMANCE.md. */
  readonly name: string;
  /** Why the replaced code never runs in our functions on Lambda: what to re-check. */
  readonly proof: string;
  /** The package whose presence in a build means the swap must have applied. */
  readonly package: string;
}

/** Every import of a whole package resolves to a stub with the same exports. */
export interface PackageAlias extends SwapBase {
  readonly kind: "alias";
  /** The package imported; `package` is the one that imports it. */
  readonly alias: string;
  /** The stub module's file name in scripts/build/stubs/. */
  readonly stub: string;
}

/** One file of `package` replaced by a stub with the same exports. */
export interface FileStub extends SwapBase {
  readonly kind: "stub";
  /** The file's path inside the package, with forward slashes. */
  readonly file: string;
  readonly stub: string;
}

/** One file of `package` patched; `patch` throws a PatchMismatch if its lines are not there. */
export interface FilePatch extends SwapBase {
  readonly kind: "patch";
  readonly file: string;
  readonly patch: (source: string) => string;
}

/**
 * A module that `package` imports on demand (`import()`) and that never loads in our functions:
 * it becomes a module that throws, inlined as a data: URL, so the functions' code splitting
 * makes no chunk of it.
 */
export interface NeverImported extends SwapBase {
  readonly kind: "never-imported";
  readonly specifier: string;
  /** The message of what it throws if it ever loads. */
  readonly error: string;
}

export type Swap = PackageAlias | FileStub | FilePatch | NeverImported;

/** Thrown by a patch whose target no longer holds what it changes. */
export class PatchMismatch extends Error {}

/** Replaces `expected` in `source` exactly once, or throws naming what is missing. */
export function replaceOnce(source: string, expected: string, replacement: string): string {
  const at = source.indexOf(expected);
  if (at < 0 || source.indexOf(expected, at + 1) >= 0) {
    throw new PatchMismatch(`expected exactly one ${JSON.stringify(expected)}`);
  }
  return source.slice(0, at) + replacement + source.slice(at + expected.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A regular expression source for a relative path, matching either separator. */
const pathPattern = (relative: string) => escapeRegExp(relative).replace(/\//g, "[\\\\/]");
const packageDirPattern = (name: string) =>
  new RegExp(`[\\\\/]node_modules[\\\\/]${pathPattern(name)}[\\\\/]`);

/** The version of the copy of `name` that `file` belongs to, for messages. */
function versionOf(name: string, file: string): string {
  const match = packageDirPattern(name).exec(file);
  if (!match) return "";
  try {
    const manifest = path.join(file.slice(0, match.index + match[0].length), "package.json");
    return ` ${(JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version}`;
  } catch {
    return "";
  }
}

const exportsCache = new Map<string, Promise<string[]>>();

/** The names an ES module declares as exports, sorted (`export *` would need a bundle: none here). */
export function exportsOf(file: string): Promise<string[]> {
  const key = `${file}\0${statSync(file, { throwIfNoEntry: false })?.mtimeMs}`;
  let names = exportsCache.get(key);
  if (!names) {
    names = build({
      entryPoints: [file],
      bundle: false,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      outdir: path.join(path.dirname(file), "exports-of"),
      logLevel: "silent",
    }).then(({ metafile }) => [...(Object.values(metafile.outputs)[0]?.exports ?? [])].sort());
    exportsCache.set(key, names);
  }
  return names;
}

const where = (swap: Swap) => `swap "${swap.name}"`;

function recheck(swap: Swap, action: string): string {
  return `re-check that ${swap.proof.replace(/\.$/, "")}; then ${action}.`;
}

/**
 * Compares a stub's exports with the replaced module's: undefined if they agree, else the
 * message the build fails with.
 */
export async function exportsMismatch(
  swap: Swap,
  original: string,
  stubs = stubsDir,
): Promise<string | undefined> {
  if (swap.kind === "patch" || swap.kind === "never-imported") return undefined;
  const stub = path.join(stubs, swap.stub);
  const [want, have] = await Promise.all([exportsOf(original), exportsOf(stub)]);
  if (want.join() === have.join()) return undefined;
  const target =
    swap.kind === "alias"
      ? `${swap.alias}${versionOf(swap.alias, original)}`
      : `${swap.package}${versionOf(swap.package, original)}'s ${swap.file}`;
  return (
    `${where(swap)}: ${target} ` +
    `exports ${want.join(", ") || "nothing"}, but its stub scripts/build/stubs/${swap.stub} exports ` +
    `${have.join(", ") || "nothing"}: ${recheck(swap, "update the stub or drop the swap")}`
  );
}

/**
 * The swaps as one esbuild plugin; the build fails when one of them no longer fits. `stubs` is
 * the folder of the stub modules.
 */
export function verifiedSwaps(name: string, swaps: readonly Swap[], stubs = stubsDir): Plugin {
  return {
    name,
    setup(build) {
      build.initialOptions.metafile = true;
      const hits = new Map<Swap, number>();
      const hit = (swap: Swap) => hits.set(swap, (hits.get(swap) ?? 0) + 1);
      build.onStart(() => hits.clear());
      for (const swap of swaps) {
        if (swap.kind === "never-imported") onNeverImported(build, swap, hit);
        else if (swap.kind === "alias") onAlias(build, swap, hit, name, stubs);
        else onFile(build, swap, hit, stubs);
      }
      build.onEnd((result) => unmatchedSwaps(build, swaps, hits, result));
    },
  };
}

/** Counts a swap that applied. */
type Hit = (swap: Swap) => void;

/** An `import()` of the specifier becomes a module that throws. */
function onNeverImported(build: PluginBuild, swap: NeverImported, hit: Hit): void {
  const filter = new RegExp(`^${escapeRegExp(swap.specifier)}$`);
  build.onResolve({ filter }, (args) => {
    if (args.kind !== "dynamic-import") return undefined;
    hit(swap);
    const contents = `throw new Error(${JSON.stringify(swap.error)})`;
    return { path: `data:text/javascript,${contents}`, external: true };
  });
}

/** An import of the aliased package resolves to its stub, once the exports are checked. */
function onAlias(
  build: PluginBuild,
  swap: PackageAlias,
  hit: Hit,
  name: string,
  stubs: string,
): void {
  const filter = new RegExp(`^${escapeRegExp(swap.alias)}$`);
  build.onResolve({ filter }, async (args) => {
    if (args.pluginData === name) return undefined;
    hit(swap);
    const original = await build.resolve(args.path, {
      kind: args.kind,
      importer: args.importer,
      resolveDir: args.resolveDir,
      pluginData: name,
    });
    const mismatch =
      original.errors.length > 0
        ? `${where(swap)}: ${swap.alias} no longer resolves: ${recheck(swap, "drop the swap")}`
        : await exportsMismatch(swap, original.path, stubs);
    if (mismatch) return { errors: [{ text: mismatch }] };
    return { path: path.join(stubs, swap.stub) };
  });
}

/** The file loads as its stub (exports checked) or patched (lines checked). */
function onFile(build: PluginBuild, swap: FileStub | FilePatch, hit: Hit, stubs: string): void {
  const filter = new RegExp(`${packageDirPattern(swap.package).source}${pathPattern(swap.file)}$`);
  build.onLoad({ filter }, async (args) => {
    hit(swap);
    const loader = args.path.endsWith(".json") ? ("json" as const) : ("js" as const);
    const resolveDir = path.dirname(args.path);
    if (swap.kind === "stub") {
      const mismatch = await exportsMismatch(swap, args.path, stubs);
      if (mismatch) return { errors: [{ text: mismatch }] };
      const contents = readFileSync(path.join(stubs, swap.stub), "utf8");
      return { contents, loader, resolveDir };
    }
    try {
      return { contents: swap.patch(readFileSync(args.path, "utf8")), loader, resolveDir };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        errors: [
          {
            text:
              `${where(swap)}: ${swap.package}${versionOf(swap.package, args.path)}'s ${swap.file} ` +
              `no longer has the lines the patch changes (${reason}): ` +
              recheck(swap, "update the patch or drop the swap"),
          },
        ],
      };
    }
  });
}

/** The errors for swaps that matched nothing in a build that includes their package. */
function unmatchedSwaps(
  build: PluginBuild,
  swaps: readonly Swap[],
  hits: ReadonlyMap<Swap, number>,
  result: BuildResult,
): OnEndResult | undefined {
  if (result.errors.length > 0 || !result.metafile) return undefined;
  const inputs = Object.keys(result.metafile.inputs).map((input) => `/${input}`);
  const errors = swaps.flatMap((swap) => {
    if (hits.has(swap)) return [];
    const included = inputs.find((input) => packageDirPattern(swap.package).test(input));
    if (!included) return [];
    const target =
      swap.kind === "alias"
        ? `an import of ${swap.alias}`
        : swap.kind === "never-imported"
          ? `an import() of ${swap.specifier}`
          : swap.file;
    return [
      {
        text:
          `${where(swap)} matched nothing (${target}) in a build that includes ` +
          `${swap.package}${versionOf(swap.package, path.resolve(build.initialOptions.absWorkingDir ?? ".", included.slice(1)))}: ` +
          recheck(swap, "point the swap at the new file or drop it"),
      },
    ];
  });
  return { errors };
}
