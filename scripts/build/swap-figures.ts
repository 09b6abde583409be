/**
 * What each part of the build buys, measured in one run: every function built with everything,
 * then once without each swap (and without each of the other two plugins that change what
 * ships), printing the bytes saved, shipped and at cold start, and what get-item's cold load
 * costs with and without it (the bench's method: fresh node processes, CPU time over an empty
 * module's, interleaved). The figures in docs/PERFORMANCE.md come from this.
 *
 *   npx tsx scripts/build/swap-figures.ts            20 processes per variant
 *   npx tsx scripts/build/swap-figures.ts --runs=100 --only=uuid-from-node-crypto
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Plugin } from "esbuild";
import { routes } from "../../common/routes.ts";
import { measureColdLoad } from "../bench/cold-load.ts";
import { bundleFilesOf, pluginsWith, sizeOfFiles, swaps } from "./build.ts";

const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const runs = Number(option("runs") ?? 20);
const only = option("only")?.split(",");

interface Variant {
  readonly name: string;
  readonly plugins: Plugin[];
}
const all = pluginsWith(swaps);
const variants: Variant[] = [
  { name: "(everything)", plugins: all },
  ...[
    ...swaps.map((left) => ({
      name: left.name,
      plugins: pluginsWith(swaps.filter((swap) => swap !== left)),
    })),
    ...["side-effect-free", "builtins-via-require"].map((name) => ({
      name: `plugin ${name}`,
      plugins: all.filter((plugin) => plugin.name !== name),
    })),
  ].filter((variant) => !only || only.some((name) => variant.name.endsWith(name))),
];

const dir = await mkdtemp(path.join(tmpdir(), "items-api-swap-figures-"));
try {
  const sizes = await Promise.all(
    variants.map(async (variant) => {
      const perRoute = await Promise.all(
        routes.map(async (route) => {
          const files = await bundleFilesOf(route, variant.plugins);
          if (route.name === "get-item") {
            await mkdir(path.join(dir, variant.name));
            for (const file of files) {
              await writeFile(path.join(dir, variant.name, file.name), file.content);
            }
          }
          return sizeOfFiles(route.name, files);
        }),
      );
      return new Map(perRoute.map((size) => [size.name, size]));
    }),
  );
  await writeFile(path.join(dir, "empty.mjs"), "");
  const cold = measureColdLoad(
    path.join(dir, "empty.mjs"),
    variants.map((variant) => ({
      name: variant.name,
      file: path.join(dir, variant.name, "index.mjs"),
    })),
    runs,
  );
  const base = sizes[0];
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(
    `Left out, one at a time: KiB it saves (all five functions: shipped, at cold start; ` +
      `get-item and create-item), and get-item's cold load (CPU ms over an empty module, median of ${runs})`,
  );
  console.log(
    "variant | all shipped | all cold start | get-item | create-item shipped / cold | get-item cold load ms | saves ms",
  );
  const baseCold = cold.figures[0]?.costMs ?? Number.NaN;
  variants.forEach((variant, i) => {
    const sized = sizes[i];
    if (!sized || !base) return;
    const sum = (m: typeof base, key: "bytes" | "initBytes") =>
      [...m.values()].reduce((total, size) => total + size[key], 0);
    const saved = (key: "bytes" | "initBytes") => sum(sized, key) - sum(base, key);
    const of = (name: string, key: "bytes" | "initBytes") =>
      (sized.get(name)?.[key] ?? 0) - (base.get(name)?.[key] ?? 0);
    const costMs = cold.figures[i]?.costMs ?? Number.NaN;
    console.log(
      [
        variant.name,
        kib(saved("bytes")),
        kib(saved("initBytes")),
        kib(of("get-item", "bytes")),
        `${kib(of("create-item", "bytes"))} / ${kib(of("create-item", "initBytes"))}`,
        costMs.toFixed(1),
        (costMs - baseCold).toFixed(1),
      ].join(" | "),
    );
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
