/**
 * The cycle every load connection runs over an item of its own: create, read, update with
 * If-Match, list, update, conditional read, then delete every other item or read it once more.
 * Each step says what to send, what must come back, and what its answer acknowledges.
 */
import type { Request } from "autocannon";
import type { LedgerEntry, Unanswered, WorkloadState } from "./ledger.ts";

/** One request of the cycle: what to send, what must come back, what an answer acknowledges. */
export interface Step {
  readonly route: string;
  readonly expected: number;
  readonly write?: Unanswered["kind"];
  readonly request: Partial<Request>;
  /** Checks the answer's body (and records what it acknowledges); returns a problem, if any. */
  readonly onAnswer?: (body: string) => string | undefined;
}

/** Per connection, reset by autocannon at the start of every cycle. */
export interface Context {
  item?: { id: string; version: number };
  deleteAtEnd?: boolean;
  token?: number;
  step?: Step;
}

/** Makes the next step of a connection's cycle from what the connection knows. */
export type MakeStep = (c: Context) => Step;

const json = { "content-type": "application/json" };

/** The cycle's steps, in order, recording acknowledged writes in `state.ledger`. */
export function cycleOf(state: WorkloadState): MakeStep[] {
  let sequence = 0;
  return [
    (c) => createStep(state, c, sequence++),
    (c) => readStep(c),
    (c) => updateStep(state, c, "v2", true),
    () => ({ route: "GET /", expected: 200, request: { method: "GET", path: "/?limit=20" } }),
    (c) => updateStep(state, c, "v3", false),
    (c) => conditionalReadStep(c),
    (c) => (c.deleteAtEnd ? deleteStep(state, c) : readStep(c)),
  ];
}

/** Creates item number `n` of the run; every odd one is deleted at the end of its cycle. */
function createStep(state: WorkloadState, c: Context, n: number): Step {
  c.deleteAtEnd = n % 2 === 1;
  return {
    route: "POST /",
    expected: 201,
    write: "create",
    request: {
      method: "POST",
      path: "/",
      headers: json,
      body: JSON.stringify({ name: `load ${n}`, description: "v1" }),
    },
    onAnswer: (body) => {
      const item = JSON.parse(body) as LedgerEntry;
      state.ledger.set(item.id, { ...item, deleted: false });
      c.item = { id: item.id, version: item.version };
      return item.version === 1 ? undefined : `created at v${item.version}`;
    },
  };
}

/** Reads the item back: it must be at the version the connection last wrote. */
function readStep(c: Context): Step {
  return {
    route: "GET /{id}",
    expected: 200,
    request: { method: "GET", path: `/${c.item?.id}` },
    onAnswer: (body) => {
      const { version } = JSON.parse(body) as { version: number };
      return version === c.item?.version
        ? undefined
        : `read v${version} after writing v${c.item?.version}`;
    },
  };
}

/** Replaces the item's description, with or without If-Match on the version last written. */
function updateStep(state: WorkloadState, c: Context, description: string, ifMatch: boolean): Step {
  return {
    route: "PUT /{id}",
    expected: 200,
    write: "update",
    request: {
      method: "PUT",
      path: `/${c.item?.id}`,
      headers: { ...json, ...(ifMatch ? { "if-match": `"${c.item?.version}"` } : {}) },
      body: JSON.stringify({ name: "updated", description }),
    },
    onAnswer: (body) => {
      const item = JSON.parse(body) as LedgerEntry;
      const entry = state.ledger.get(item.id);
      if (!entry || !c.item) return "an update of an unknown item";
      if (item.version !== c.item.version + 1) return `v${item.version} after v${c.item.version}`;
      if (item.description !== description) return "description not as sent";
      c.item.version = entry.version = item.version;
      entry.description = item.description;
      return undefined;
    },
  };
}

/** Reads the item with If-None-Match on the version last written: not modified. */
function conditionalReadStep(c: Context): Step {
  return {
    route: "GET /{id}",
    expected: 304,
    request: {
      method: "GET",
      path: `/${c.item?.id}`,
      headers: { "if-none-match": `"${c.item?.version}"` },
    },
  };
}

function deleteStep(state: WorkloadState, c: Context): Step {
  return {
    route: "DELETE /{id}",
    expected: 204,
    write: "delete",
    request: { method: "DELETE", path: `/${c.item?.id}` },
    onAnswer: () => {
      const entry = state.ledger.get(c.item?.id ?? "");
      if (entry) entry.deleted = true;
      return undefined;
    },
  };
}
