/**
 * Cold-load cost: how long a fresh `node` process takes to import a bundle as an ES module
 * (which constructs everything the module constructs at load: config, SDK clients), minus the
 * same for an empty module. Targets are interleaved round-robin, starting each round at a
 * different target, so a burst of noise from other processes spreads over all of them.
 */
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { lambdaEnvironment } from "./lambda-environment.ts";
import { median } from "./stats.ts";

export interface ColdLoadTarget {
  readonly name: string;
  readonly file: string;
}

export interface ColdLoadFigure {
  readonly name: string;
  /** Median wall time of a process that imports the target, in ms. */
  readonly medianMs: number;
  /** That median minus the empty module's: what the target adds to a bare start. */
  readonly costMs: number;
}

export interface ColdLoadResult {
  readonly runs: number;
  readonly emptyMedianMs: number;
  readonly figures: readonly ColdLoadFigure[];
}

const importTarget = "await import(process.argv[1])";

/** Wall time of one fresh process importing `file`; throws if it fails or prints to stderr. */
function timeOneImport(file: string): number {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", importTarget, pathToFileURL(file).href],
    { env: lambdaEnvironment(), encoding: "utf8" },
  );
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0 || child.stderr) {
    throw new Error(`importing ${file} failed (exit ${child.status}):\n${child.stderr}`);
  }
  return elapsedMs;
}

/** Measures every target (and the empty module) `runs` times each, interleaved. */
export function measureColdLoad(
  empty: string,
  targets: readonly ColdLoadTarget[],
  runs: number,
): ColdLoadResult {
  const all: ColdLoadTarget[] = [{ name: "(empty)", file: empty }, ...targets];
  const samples = all.map(() => [] as number[]);
  for (const target of all) timeOneImport(target.file); // warm the page cache
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < all.length; k++) {
      const index = (round + k) % all.length;
      const target = all[index];
      if (target) samples[index]?.push(timeOneImport(target.file));
    }
  }
  const medians = samples.map((s) => median(s));
  const emptyMedianMs = medians[0] ?? Number.NaN;
  return {
    runs,
    emptyMedianMs,
    figures: targets.map((target, i) => {
      const medianMs = medians[i + 1] ?? Number.NaN;
      return { name: target.name, medianMs, costMs: medianMs - emptyMedianMs };
    }),
  };
}
