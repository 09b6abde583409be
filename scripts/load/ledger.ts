/**
 * What the load test learns from the answers: the ledger of acknowledged writes (checked against
 * the table afterwards), the writes never answered, and the answers counted by route and status.
 */

/** What API.md lets each route answer. A 5xx is never allowed here: the store is healthy. */
export const allowedStatuses: Readonly<Record<string, readonly number[]>> = {
  "POST /": [201, 400, 409, 413, 415, 422],
  "GET /": [200, 400],
  "GET /{id}": [200, 304, 404],
  "PUT /{id}": [200, 400, 404, 412, 413, 415],
  "DELETE /{id}": [204, 404, 412],
};

/** The last acknowledged state of an item. */
export interface LedgerEntry {
  id: string;
  name: string;
  description: string;
  version: number;
  deleted: boolean;
}

/** A write sent and never answered (in flight when the run stopped, or timed out). */
export interface Unanswered {
  readonly kind: "create" | "update" | "delete";
  /** The item's id; for a create, its unique name instead. */
  readonly key: string;
}

export interface WorkloadState {
  readonly ledger: Map<string, LedgerEntry>;
  readonly unanswered: Map<number, Unanswered>;
  /** Answers by route and status. */
  readonly statuses: Map<string, Map<number, number>>;
  /** Answers outside `allowedStatuses`. */
  disallowed: number;
  /** Answers the cycle did not expect (a status, a version, a stale read). */
  unexpected: number;
  /** The first unexpected answers, for the report. */
  readonly samples: string[];
}

export function emptyWorkloadState(): WorkloadState {
  return {
    ledger: new Map(),
    unanswered: new Map(),
    statuses: new Map(),
    disallowed: 0,
    unexpected: 0,
    samples: [],
  };
}

/** Counts an answer by route and status, and as disallowed if API.md does not allow it. */
export function recordStatus(state: WorkloadState, route: string, status: number): void {
  const byStatus = state.statuses.get(route) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  state.statuses.set(route, byStatus);
  if (!allowedStatuses[route]?.includes(status)) state.disallowed++;
}

/** Counts an answer the cycle did not expect, and keeps the first ones as samples. */
export function recordUnexpected(state: WorkloadState, sample: string): void {
  state.unexpected++;
  if (state.samples.length < 20) state.samples.push(sample);
}
