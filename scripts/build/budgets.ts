/**
 * The bundle budgets: each function's bytes, as shipped (every file of its folder) and as loaded
 * at a cold start (index.mjs and its static imports), recorded in budgets.json. Bundles are
 * deterministic, so a size that leaves the recorded figure by more than the tolerance is a
 * change to the code or its dependencies, and `npm test` fails on it (tests/build/budgets.test.ts).
 *
 *   npm run build -- --record-budgets    build, then record the sizes as the new budgets
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const budgetsFile = path.join(path.dirname(fileURLToPath(import.meta.url)), "budgets.json");

/** How far a size may move from its recorded figure, either way. */
export const toleranceBytes = 2 * 1024;

export interface Budget {
  /** Every file of the function's folder: what its zip holds. */
  readonly shippedBytes: number;
  /** What a cold start loads. */
  readonly coldStartBytes: number;
}

export type Budgets = Readonly<Record<string, Budget>>;

/** A function's sizes as the build measures them (build.ts's BundleSize). */
export interface MeasuredSize {
  readonly name: string;
  /** Every file of the bundle. */
  readonly bytes: number;
  /** The files a cold start loads. */
  readonly initBytes: number;
}

export function readBudgets(file = budgetsFile): Budgets {
  return JSON.parse(readFileSync(file, "utf8")) as Budgets;
}

export function budgetsOf(sizes: readonly MeasuredSize[]): Budgets {
  const sorted = [...sizes].sort((a, b) => (a.name < b.name ? -1 : 1));
  return Object.fromEntries(
    sorted.map((size) => [size.name, { shippedBytes: size.bytes, coldStartBytes: size.initBytes }]),
  );
}

export async function recordBudgets(sizes: readonly MeasuredSize[], file = budgetsFile) {
  await writeFile(file, `${JSON.stringify(budgetsOf(sizes), null, 2)}\n`);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** One line per size outside its budget (or function without one); empty when all are met. */
export function budgetViolations(sizes: readonly MeasuredSize[], budgets: Budgets): string[] {
  const violations: string[] = [];
  for (const size of sizes) {
    const budget = budgets[size.name];
    if (!budget) {
      violations.push(`${size.name} has no recorded budget`);
      continue;
    }
    const figures = [
      ["ships", size.bytes, budget.shippedBytes],
      ["loads at a cold start", size.initBytes, budget.coldStartBytes],
    ] as const;
    for (const [what, actual, recorded] of figures) {
      if (Math.abs(actual - recorded) <= toleranceBytes) continue;
      violations.push(
        `${size.name} ${what} ${kib(actual)}, recorded ${kib(recorded)} (±${kib(toleranceBytes)}): ` +
          (actual > recorded
            ? "find what grew (a swap that stopped applying, a dependency, an import)"
            : "it shrank") +
          "; if the change is meant, record it with `npm run build -- --record-budgets`.",
      );
    }
  }
  const names = new Set(sizes.map((size) => size.name));
  for (const name of Object.keys(budgets)) {
    if (!names.has(name)) violations.push(`${name} has a budget but no function`);
  }
  return violations;
}
