/**
 * `npm run bench`: every performance figure of the project in one run, each next to a baseline
 * measured in the same run, and the budgets of docs/PERFORMANCE.md as met or not met.
 *
 *   npm run bench               full run (a few minutes)
 *   npm run bench -- --quick    under a minute after the build; what CI runs
 *   npm run bench -- --only=cold,warm,server   some of the figures (sizes always)
 *
 * Exits non-zero only when something crashes: a missed budget is a figure, not a failure.
 * The figures are also written to bench-results/latest.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { routes } from "../../common/routes.ts";
import { buildAll, bundlePathOf, projectRoot } from "../build/build.ts";
import { checkBudgets } from "./budgets.ts";
import { measureColdLoad } from "./cold-load.ts";
import { startBenchDatabase } from "./database.ts";
import { buildYardsticks, clientOnlyName } from "./reference.ts";
import { formatBudgets, formatColdLoad, formatServer, formatSizes, formatWarm } from "./report.ts";
import { measureServer } from "./server.ts";
import { sizeOf } from "./sizes.ts";
import { measureWarm, type WarmFigure } from "./warm.ts";

const quick = process.argv.includes("--quick");
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const runs = (figure: "cold" | "warm" | "server") => !only || only.split(",").includes(figure);
const settings = quick
  ? {
      coldRuns: 20,
      warmIterations: 200,
      // Steady state, as on a warm Lambda: enough calls for V8 to optimize both sides' code.
      warmup: 300,
      load: { connections: 10, seconds: 2, rounds: 1, warmupSeconds: 3 },
    }
  : {
      coldRuns: 100,
      warmIterations: 2000,
      warmup: 3000,
      load: { connections: 10, seconds: 4, rounds: 5, warmupSeconds: 6 },
    };

const started = performance.now();
let phaseStarted = started;
/** Seconds since the previous call, for the report's headings. */
function phaseSeconds(): string {
  const now = performance.now();
  const seconds = ((now - phaseStarted) / 1000).toFixed(1);
  phaseStarted = now;
  return `[${seconds} s]`;
}
console.log(
  `items-api bench${quick ? " --quick" : ""}: Node ${process.version}, ${os.cpus().length} CPUs, ` +
    `${new Date().toISOString()}. Every figure sits next to a baseline from this same run.`,
);

const sizes = await buildAll();
const yardsticks = await buildYardsticks();
try {
  const referenceSizes = await Promise.all(
    yardsticks.references.map((r) => sizeOf(r.name, r.path)),
  );
  const allSizes = [...sizes, ...referenceSizes];
  console.log(`\n${phaseSeconds()} ${formatSizes(allSizes)}`);

  const coldLoad = runs("cold")
    ? measureColdLoad(
        yardsticks.emptyPath,
        [
          // Quick mode times the one reference the budgets name (its ESM twin is a second view).
          ...yardsticks.references
            .filter((r) => !quick || r.name === "reference")
            .map((r) => ({ name: r.name, file: r.path })),
          { name: clientOnlyName, file: yardsticks.clientOnlyPath },
          ...routes.map((r) => ({ name: r.name, file: bundlePathOf(r.name) })),
        ],
        settings.coldRuns,
      )
    : undefined;
  if (coldLoad) console.log(`\n${phaseSeconds()} ${formatColdLoad(coldLoad)}`);

  let warm: WarmFigure[] | undefined;
  if (runs("warm")) {
    const db = await startBenchDatabase();
    warm = await measureWarm(
      db,
      yardsticks.bareSdkPath,
      settings.warmIterations,
      settings.warmup,
    ).finally(() => db.stop());
    console.log(`\n${phaseSeconds()} ${formatWarm(warm, settings.warmIterations)}`);
  }

  const server = runs("server") ? await measureServer(settings.load) : undefined;
  if (server) console.log(`\n${phaseSeconds()} ${formatServer(server, settings.load)}`);

  const checks = checkBudgets({ sizes: allSizes, coldLoad, warm, server });
  console.log(`\n${formatBudgets(checks)}`);
  const results = { quick, node: process.version, sizes: allSizes, coldLoad, warm, server, checks };
  const resultsDir = path.join(projectRoot, "bench-results");
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await yardsticks.dispose();
}
