/**
 * Cold-load cost: what a fresh `node` process spends to import a bundle as an ES module (which
 * constructs everything the module constructs at load: config, SDK clients), minus the same for
 * an empty module. Two clocks per process: wall time, from spawn to exit, and the CPU time the
 * process reports when the import is done. Budgets are judged on CPU time: other processes on
 * the machine stretch wall time but not CPU time, and on an idle machine CPU time is the larger
 * of the two (V8's helper threads add to it), so it never flatters. Targets are interleaved
 * round-robin, each round starting at a different target, so a burst of noise hits all alike.
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
  /** Median CPU time of a process that imports the target, in ms. */
  readonly cpuMs: number;
  /** That median minus the empty module's: what the target adds to a bare start. */
  readonly costMs: number;
  /** Median wall time of the process, spawn to exit, in ms. */
  readonly wallMs: number;
  /** That median minus the empty module's. */
  readonly wallCostMs: number;
}

export interface ColdLoadResult {
  readonly runs: number;
  readonly empty: { readonly cpuMs: number; readonly wallMs: number };
  readonly figures: readonly ColdLoadFigure[];
}

const importTarget =
  "await import(process.argv[1]);const u=process.cpuUsage();" +
  "process.stdout.write(String((u.user+u.system)/1000))";

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** One fresh process importing `file`; throws if it fails or prints to stderr. */
function timeOneImport(file: string): Sample {
  const started = process.hrtime.bigint();
  const child = spawnSync(
    process.execPath,
    ["--input-type=module", "-e", importTarget, pathToFileURL(file).href],
    { env: lambdaEnvironment(), encoding: "utf8" },
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0 || child.stderr) {
    // The last lines only: a minified bundle's source line can be tens of kilobytes long.
    const stderr = child.stderr
      .split("\n")
      .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
      .slice(-12)
      .join("\n");
    throw new Error(`importing ${file} failed (exit ${child.status}):\n${stderr}`);
  }
  return { cpuMs: Number(child.stdout), wallMs };
}

/** Measures every target (and the empty module) `runs` times each, interleaved. */
export function measureColdLoad(
  emptyFile: string,
  targets: readonly ColdLoadTarget[],
  runs: number,
): ColdLoadResult {
  const all: ColdLoadTarget[] = [{ name: "(empty)", file: emptyFile }, ...targets];
  const samples = all.map(() => [] as Sample[]);
  for (const target of all) timeOneImport(target.file); // warm the page cache
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < all.length; k++) {
      const index = (round + k) % all.length;
      const target = all[index];
      if (target) samples[index]?.push(timeOneImport(target.file));
    }
  }
  const medians = samples.map((s) => ({
    cpuMs: median(s.map((x) => x.cpuMs)),
    wallMs: median(s.map((x) => x.wallMs)),
  }));
  const empty = medians[0] ?? { cpuMs: Number.NaN, wallMs: Number.NaN };
  return {
    runs,
    empty,
    figures: targets.map((target, i) => {
      const { cpuMs, wallMs } = medians[i + 1] ?? { cpuMs: Number.NaN, wallMs: Number.NaN };
      return {
        name: target.name,
        cpuMs,
        costMs: cpuMs - empty.cpuMs,
        wallMs,
        wallCostMs: wallMs - empty.wallMs,
      };
    }),
  };
}
