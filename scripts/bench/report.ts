/** The bench's printed report: one table per figure, then the budgets. */
import { type BudgetCheck, budgets } from "./budgets.ts";
import type { ColdLoadResult } from "./cold-load.ts";
import type { LoadSettings, ServerFigure } from "./server.ts";
import type { SizeFigure } from "./sizes.ts";
import { formatTable, kib, ms, ratio } from "./table.ts";
import type { WarmFigure } from "./warm.ts";

export function formatSizes(sizes: readonly SizeFigure[]): string {
  const reference = sizes.find((s) => s.name === "reference");
  const rows = sizes.map((s) => [
    s.name,
    kib(s.bytes),
    kib(s.gzipBytes),
    reference ? ratio(s.bytes / reference.bytes) : "",
  ]);
  return `Bundle size (budget ≤ ${budgets.bundleBytes / 1024} KiB minified per function)\n${formatTable(
    ["bundle", "minified", "gzip", "vs reference"],
    rows,
  )}`;
}

export function formatColdLoad(result: ColdLoadResult): string {
  const reference = result.figures.find((f) => f.name === "reference");
  const rows = result.figures.map((f) => [
    f.name,
    ms(f.medianMs),
    ms(f.costMs),
    reference ? ratio(f.costMs / reference.costMs) : "",
  ]);
  return (
    `Cold load: median of ${result.runs} fresh node processes importing the bundle, minus an ` +
    `empty module's (${ms(result.emptyMedianMs)})\n` +
    `(budget ≤ ${budgets.coldLoadMs} ms and ≤ ${budgets.coldLoadVsReference}x reference)\n` +
    formatTable(["bundle", "process", "cost", "vs reference"], rows)
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

export function formatServer(figures: readonly ServerFigure[], load: LoadSettings): string {
  const rows = figures.map((f) => [
    f.route,
    f.server.requestsPerSecond.toFixed(0),
    `${f.server.p50Ms} ms`,
    `${f.server.p99Ms} ms`,
    f.dynalite.requestsPerSecond.toFixed(0),
    `${f.dynalite.p50Ms} ms`,
    `${f.dynalite.p99Ms} ms`,
    `${(f.share * 100).toFixed(0)}%`,
  ]);
  return (
    `Local server (npm start, in-memory dynalite) vs raw dynalite: autocannon, ` +
    `${load.connections} connections, ${load.rounds} x ${load.seconds} s\n` +
    `(budget: server ≥ ${budgets.serverShareOfDynalite * 100}% of dynalite's rate)\n` +
    formatTable(["route", "req/s", "p50", "p99", "dynalite req/s", "p50", "p99", "share"], rows)
  );
}

export function formatBudgets(checks: readonly BudgetCheck[]): string {
  const rows = checks.map((c) => [c.budget, c.subject, c.figure, c.met ? "met" : "NOT MET"]);
  const met = checks.filter((c) => c.met).length;
  return `Budgets: ${met} of ${checks.length} met\n${formatTable(["budget", "subject", "figure", ""], rows)}`;
}
