/**
 * `npm run bench`: every performance figure of the project in one run, each next to a baseline
 * measured in the same run, and the budgets of docs/PERFORMANCE.md as met or not met.
 *
 *   npm run bench               full run (a few minutes)
 *   npm run bench -- --quick    under a minute after the build; what CI runs
 *
 * Exits non-zero only when something crashes: a missed budget is a figure, not a failure.
 * The figures are also written to bench-results/latest.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { routes } from "../../common/routes.ts";
import { buildAll, bundlePathOf, projectRoot } from "../build.ts";
import { checkBudgets } from "./budgets.ts";
import { measureColdLoad } from "./cold-load.ts";
import { startBenchDatabase } from "./database.ts";
import { buildYardsticks } from "./reference.ts";
import { formatBudgets, formatColdLoad, formatServer, formatSizes, formatWarm } from "./report.ts";
import { measureServer } from "./server.ts";
import { sizeOf } from "./sizes.ts";
import { measureWarm } from "./warm.ts";

const quick = process.argv.includes("--quick");
const settings = quick
  ? {
      coldRuns: 20,
      warmIterations: 300,
      warmup: 50,
      load: { connections: 10, seconds: 3, rounds: 1 },
    }
  : {
      coldRuns: 40,
      warmIterations: 2000,
      warmup: 200,
      load: { connections: 10, seconds: 5, rounds: 3 },
    };

const started = performance.now();
console.log(
  `items-api bench${quick ? " --quick" : ""}: Node ${process.version}, ${os.cpus().length} CPUs, ` +
    `${new Date().toISOString()}. Every figure sits next to a baseline from this same run.`,
);

const sizes = await buildAll();
const yardsticks = await buildYardsticks();
try {
  const reference = await sizeOf("reference", yardsticks.referencePath);
  const allSizes = [...sizes, reference];
  console.log(`\n${formatSizes(allSizes)}`);

  const coldLoad = measureColdLoad(
    yardsticks.emptyPath,
    [
      { name: "reference", file: yardsticks.referencePath },
      ...routes.map((r) => ({ name: r.name, file: bundlePathOf(r.name) })),
    ],
    settings.coldRuns,
  );
  console.log(`\n${formatColdLoad(coldLoad)}`);

  const db = await startBenchDatabase();
  const warm = await measureWarm(db, settings.warmIterations, settings.warmup).finally(() =>
    db.stop(),
  );
  console.log(`\n${formatWarm(warm, settings.warmIterations)}`);

  const server = await measureServer(settings.load);
  console.log(`\n${formatServer(server, settings.load)}`);

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
