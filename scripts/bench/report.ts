/** The bench's printed report: one table per figure, then the budgets. */
import { atBudgetMachineSpeed, type BudgetCheck, budgets } from "./budgets.ts";
import type { ColdLoadResult } from "./cold-load.ts";
import type { RateFigure } from "./load-runners.ts";
import { benchThrottle, type LoadSettings, type ServerFigure } from "./server.ts";
import type { SizeFigure } from "./sizes.ts";
import { formatTable, kib, ms, ratio } from "./table.ts";
import type { WarmFigure } from "./warm.ts";

export function formatSizes(sizes: readonly SizeFigure[]): string {
  const reference = sizes.find((s) => s.name === "reference");
  const rows = sizes.map((s) => [
    s.name,
    kib(s.bytes),
    kib(s.initBytes),
    kib(s.gzipBytes),
    reference ? ratio(s.bytes / reference.bytes) : "",
  ]);
  return `Bundle size (budget ≤ ${budgets.bundleBytes / 1024} KiB minified per function, all its files)\n${formatTable(
    ["bundle", "minified", "at cold start", "gzip", "vs reference"],
    rows,
  )}`;
}

export function formatColdLoad(result: ColdLoadResult): string {
  const reference = result.figures.find((f) => f.name === "reference");
  const rows = result.figures.map((f) => [
    f.name,
    ms(f.costMs),
    reference ? ratio(f.costMs / reference.costMs) : "",
    reference ? ms(atBudgetMachineSpeed(f.costMs, reference.costMs)) : "",
    ms(f.wallCostMs),
    reference ? ratio(f.wallCostMs / reference.wallCostMs) : "",
  ]);
  return (
    `Cold load: median of ${result.runs} fresh node processes importing the bundle, minus the ` +
    `same for an empty module (CPU ${ms(result.empty.cpuMs)}, wall ${ms(result.empty.wallMs)})\n` +
    `(budgets on CPU time: ≤ ${budgets.coldLoadVsReference}x reference, and ≤ ` +
    `${budgets.coldLoadMs} ms at the speed the budget was set at, where the reference cost ` +
    `${budgets.coldLoadReferenceMs} ms: "at budget speed"; wall time shown for comparison, it ` +
    "stretches when the machine is busy)\n" +
    formatTable(
      ["bundle", "CPU cost", "vs reference", "at budget speed", "wall cost", "vs reference"],
      rows,
    ) +
    "\nclient-only: common/dynamodb.ts's DocumentClient alone, built like the functions: the floor " +
    "under every handler"
  );
}

export function formatWarm(figures: readonly WarmFigure[], iterations: number): string {
  const rows = figures.map((f) => [
    f.name,
    ms(f.handler.medianMs),
    ms(f.handler.p99Ms),
    ms(f.bare.medianMs),
    ms(f.bare.p99Ms),
    ratio(f.ratio),
    ratio(f.handler.p99Ms / f.bare.p99Ms),
  ]);
  return (
    `Warm invocation, in process against in-memory dynalite, ${iterations} calls each\n` +
    `(budget: handler median ≤ ${budgets.handlerOverhead}x the bare DocumentClient call it makes)\n` +
    formatTable(["handler", "p50", "p99", "bare p50", "bare p99", "p50 ratio", "p99 ratio"], rows)
  );
}

const rate = (r: RateFigure) => [r.requestsPerSecond.toFixed(0), ms(r.p50Ms), ms(r.p99Ms)];
const share = (value: number) => `${(value * 100).toFixed(0)}%`;

export function formatServer(figures: readonly ServerFigure[], load: LoadSettings): string {
  const rows = figures.flatMap((f) => [
    [f.route, "local server", ...rate(f.server), ""],
    ["", "dynalite, raw JSON", ...rate(f.dynalite), share(f.share)],
    ["", "dynalite, DocumentClient", ...rate(f.dynaliteViaSdk), share(f.shareOfSdk)],
  ]);
  return (
    "Local server (npm start, in-memory dynalite) vs the same operations straight to its " +
    `dynalite: ${load.connections} connections, ${load.rounds} x ${load.seconds} s, each measured ` +
    `after ${load.warmupSeconds} s of warm-up per isolate (per function instance of the server); ` +
    `stage throttle ${benchThrottle.rateLimit} requests/s, burst ${benchThrottle.burstLimit}\n` +
    `(budget: server ≥ ${budgets.serverShareOfDynalite * 100}% of dynalite's rate through a ` +
    "DocumentClient, the call behind every request the server answers)\n" +
    formatTable(["route", "served by", "req/s", "p50", "p99", "server share"], rows)
  );
}

export function formatBudgets(checks: readonly BudgetCheck[]): string {
  const rows = checks.map((c) => [c.budget, c.subject, c.figure, c.met ? "met" : "NOT MET"]);
  const met = checks.filter((c) => c.met).length;
  return `Budgets: ${met} of ${checks.length} met\n${formatTable(["budget", "subject", "figure", ""], rows)}`;
}
