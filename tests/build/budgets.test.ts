/**
 * The bundle budgets gate: bundles are deterministic, so each function's shipped and cold-start
 * bytes must stay within a few KiB of the figures recorded in scripts/build/budgets.json.
 * (Timings are the bench's, never a test's.)
 */
import test from "ava";
import { routes } from "../../common/routes.ts";
import { budgetViolations, readBudgets, toleranceBytes } from "../../scripts/build/budgets.ts";
import { type BundleSize, bundleFilesOf, sizeOfFiles } from "../../scripts/build/build.ts";

test("every function's bundle is within its recorded budget", async (t) => {
  const sizes = await Promise.all(
    routes.map(async (route) => sizeOfFiles(route.name, await bundleFilesOf(route))),
  );
  const budgets = readBudgets();
  t.deepEqual(Object.keys(budgets).sort(), routes.map((route) => route.name).sort());
  t.deepEqual(budgetViolations(sizes, budgets), []);
});

const size = (bytes: number, initBytes = bytes): BundleSize => ({
  name: "get-item",
  bytes,
  initBytes,
  gzipBytes: 0,
});
const recorded = { "get-item": { shippedBytes: 150_000, coldStartBytes: 140_000 } };

test("a size within the tolerance of its budget meets it, either way", (t) => {
  t.deepEqual(
    budgetViolations([size(150_000 + toleranceBytes, 140_000 - toleranceBytes)], recorded),
    [],
  );
});

test("a bundle that grows past its budget fails, naming the function and the figure", (t) => {
  const [violation, ...rest] = budgetViolations(
    [size(150_000, 140_000 + toleranceBytes + 1)],
    recorded,
  );
  t.deepEqual(rest, []);
  t.regex(
    violation ?? "",
    /^get-item loads at a cold start 138\.7 KiB, recorded 136\.7 KiB \(±2\.0 KiB\): find what grew/,
  );
});

test("a bundle that shrinks past its budget fails too, so the record stays true", (t) => {
  const violations = budgetViolations([size(150_000 - toleranceBytes - 1, 140_000)], recorded);
  t.is(violations.length, 1);
  t.regex(violations[0] ?? "", /^get-item ships .* it shrank; .*--record-budgets/);
});

test("a function without a budget, or a budget without a function, fails", (t) => {
  t.deepEqual(budgetViolations([{ ...size(1), name: "new-item" }], recorded), [
    "new-item has no recorded budget",
    "get-item has a budget but no function",
  ]);
});
