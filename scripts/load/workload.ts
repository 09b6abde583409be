/**
 * The load test's workload: every autocannon connection runs the same cycle over an item of its
 * own (create, read, update with If-Match, list, update, conditional read, then delete every
 * other item or read it once more), and every answer is checked as it arrives. A ledger keeps
 * what each acknowledged write said, so that the table can be checked against it afterwards.
 */
import type { Request } from "autocannon";

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

/** One request of the cycle: what to send, what must come back, what an answer acknowledges. */
interface Step {
  readonly route: string;
  readonly expected: number;
  readonly write?: Unanswered["kind"];
  readonly request: Partial<Request>;
  readonly onAnswer?: (body: string) => string | undefined;
}

/** Per connection, reset by autocannon at the start of every cycle. */
interface Context {
  item?: { id: string; version: number };
  deleteAtEnd?: boolean;
  token?: number;
  step?: Step;
}

const json = { "content-type": "application/json" };

/** Creates the shared state and the autocannon request cycle that fills it. */
export function createWorkload(): { state: WorkloadState; requests: Request[] } {
  const state: WorkloadState = {
    ledger: new Map(),
    unanswered: new Map(),
    statuses: new Map(),
    disallowed: 0,
    unexpected: 0,
    samples: [],
  };
  let sequence = 0;
  let tokens = 0;

  const readsOwnWrite = (c: Context) => (body: string) => {
    const { version } = JSON.parse(body) as { version: number };
    return version === c.item?.version
      ? undefined
      : `read v${version} after writing v${c.item?.version}`;
  };
  const acknowledgesUpdate = (c: Context, description: string) => (body: string) => {
    const item = JSON.parse(body) as LedgerEntry;
    const entry = state.ledger.get(item.id);
    if (!entry || !c.item) return "an update of an unknown item";
    if (item.version !== c.item.version + 1) return `v${item.version} after v${c.item.version}`;
    if (item.description !== description) return "description not as sent";
    c.item.version = entry.version = item.version;
    entry.description = item.description;
    return undefined;
  };
  const update = (c: Context, description: string, ifMatch: boolean): Step => ({
    route: "PUT /{id}",
    expected: 200,
    write: "update",
    request: {
      method: "PUT",
      path: `/${c.item?.id}`,
      headers: { ...json, ...(ifMatch ? { "if-match": `"${c.item?.version}"` } : {}) },
      body: JSON.stringify({ name: "updated", description }),
    },
    onAnswer: acknowledgesUpdate(c, description),
  });

  const cycle: ((c: Context) => Step)[] = [
    (c) => {
      const n = sequence++;
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
    },
    (c) => ({
      route: "GET /{id}",
      expected: 200,
      request: { method: "GET", path: `/${c.item?.id}` },
      onAnswer: readsOwnWrite(c),
    }),
    (c) => update(c, "v2", true),
    () => ({ route: "GET /", expected: 200, request: { method: "GET", path: "/?limit=20" } }),
    (c) => update(c, "v3", false),
    (c) => ({
      route: "GET /{id}",
      expected: 304,
      request: {
        method: "GET",
        path: `/${c.item?.id}`,
        headers: { "if-none-match": `"${c.item?.version}"` },
      },
    }),
    (c) =>
      c.deleteAtEnd
        ? {
            route: "DELETE /{id}",
            expected: 204,
            write: "delete",
            request: { method: "DELETE", path: `/${c.item?.id}` },
            onAnswer: () => {
              const entry = state.ledger.get(c.item?.id ?? "");
              if (entry) entry.deleted = true;
              return undefined;
            },
          }
        : {
            route: "GET /{id}",
            expected: 200,
            request: { method: "GET", path: `/${c.item?.id}` },
            onAnswer: readsOwnWrite(c),
          },
  ];

  const requests = cycle.map(
    (makeStep, index): Request => ({
      method: "GET",
      path: "/",
      setupRequest: (request: Request, context: Context) => {
        // The connection's previous request got no answer (a timeout or a reset), or the cycle
        // lost track of its item: start a new cycle (autocannon does when this returns nothing).
        if (index > 0 && (context.token !== undefined || !context.item)) {
          return undefined as unknown as Request;
        }
        const step = makeStep(context);
        context.step = step;
        context.token = tokens++;
        if (step.write) {
          const name = step.write === "create" ? JSON.parse(String(step.request.body)).name : "";
          state.unanswered.set(context.token, {
            kind: step.write,
            key: name || (context.item?.id ?? ""),
          });
        }
        return { ...request, ...step.request } as Request;
      },
      onResponse: (status: number, body: string, context: Context) => {
        const step = context.step;
        if (context.token !== undefined) state.unanswered.delete(context.token);
        context.token = undefined;
        if (!step) return;
        record(state, step.route, status);
        let problem = status === step.expected ? undefined : `expected ${step.expected}`;
        try {
          problem ??= step.onAnswer?.(body);
        } catch (error) {
          problem = `unreadable answer (${error})`;
        }
        if (problem === undefined) return;
        state.unexpected++;
        if (state.samples.length < 20) {
          state.samples.push(`${step.route} ${status}: ${problem}: ${body.slice(0, 160)}`);
        }
        context.item = undefined;
      },
    }),
  );
  return { state, requests };
}

function record(state: WorkloadState, route: string, status: number): void {
  const byStatus = state.statuses.get(route) ?? new Map<number, number>();
  byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  state.statuses.set(route, byStatus);
  if (!allowedStatuses[route]?.includes(status)) state.disallowed++;
}
