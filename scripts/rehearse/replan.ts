/**
 * The re-plan check: right after an apply, a plan must be empty, except for changes listed in
 * replan-allow-list.json, each with the emulator gap it comes from. An entry that no longer
 * occurs fails the check too, so the list cannot outlive the gaps it excuses.
 */
import { readFileSync } from "node:fs";
import type { ResourceChange } from "./terraform.ts";

export interface AllowedChange {
  /** Resource type, e.g. `aws_lambda_function`. */
  readonly type: string;
  /** Terraform's actions for the change, e.g. `["update"]`. */
  readonly actions: readonly string[];
  /** The top-level attributes the change may touch (it touches a subset of them). */
  readonly attributes: readonly string[];
  /** Configurations it occurs in (configurations.ts); all of them when absent. */
  readonly configurations?: readonly string[];
  /** The emulator gap behind it: why real AWS would plan nothing here. */
  readonly gap: string;
}

export const allowListPath = new URL("replan-allow-list.json", import.meta.url).pathname;

export function readAllowList(path = allowListPath): AllowedChange[] {
  return JSON.parse(readFileSync(path, "utf8")) as AllowedChange[];
}

/** The top-level attributes whose value differs between before and after (unknown included). */
export function changedAttributes(
  change: ResourceChange["change"] & { after_unknown?: object },
): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const unknown = (change.after_unknown ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)]);
  return [...keys]
    .filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]) || unknown[key] === true,
    )
    .sort();
}

function matches(entry: AllowedChange, change: ResourceChange): boolean {
  if (entry.type !== change.type) return false;
  if (entry.actions.join(",") !== change.change.actions.join(",")) return false;
  return changedAttributes(change.change).every((name) => entry.attributes.includes(name));
}

function describe(change: ResourceChange): string {
  const attributes = changedAttributes(change.change).join(", ");
  return `${change.address}: ${change.change.actions.join("+")} (${attributes || "no attribute"})`;
}

export interface ReplanVerdict {
  /** Changes no entry allows. */
  readonly unexpected: readonly string[];
  /** Entries for this configuration that matched nothing. */
  readonly stale: readonly string[];
  /** Changes an entry allows. */
  readonly allowed: number;
}

/** Judges the changes of one configuration's re-plan against the allow-list. */
export function judgeReplan(
  configuration: string,
  changes: readonly ResourceChange[],
  allowList: readonly AllowedChange[],
): ReplanVerdict {
  const entries = allowList.filter(
    (e) => !e.configurations || e.configurations.includes(configuration),
  );
  const used = new Set<AllowedChange>();
  const unexpected: string[] = [];
  for (const change of changes) {
    const entry = entries.find((e) => matches(e, change));
    if (entry) used.add(entry);
    else unexpected.push(describe(change));
  }
  const stale = entries
    .filter((e) => !used.has(e))
    .map(
      (e) =>
        `allow-list entry ${e.type} ${e.actions.join("+")} (${e.attributes.join(", ")}) no longer occurs`,
    );
  return { unexpected, stale, allowed: changes.length - unexpected.length };
}
