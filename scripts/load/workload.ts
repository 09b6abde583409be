/**
 * The load test's workload: every autocannon connection runs the same cycle (cycle.ts) over an
 * item of its own, and every answer is checked as it arrives. A ledger (ledger.ts) keeps what
 * each acknowledged write said, so that the table can be checked against it afterwards.
 */
import type { Request } from "autocannon";
import { type Context, cycleOf, type MakeStep, type Step } from "./cycle.ts";
import {
  emptyWorkloadState,
  recordStatus,
  recordUnexpected,
  type WorkloadState,
} from "./ledger.ts";

/** Creates the shared state and the autocannon request cycle that fills it. */
export function createWorkload(): { state: WorkloadState; requests: Request[] } {
  const state = emptyWorkloadState();
  let tokens = 0;
  const nextToken = () => tokens++;
  const requests = cycleOf(state).map(
    (makeStep, index): Request => ({
      method: "GET",
      path: "/",
      setupRequest: (request: Request, context: Context) =>
        setUpStep(state, makeStep, index, nextToken, request, context),
      onResponse: (status: number, body: string, context: Context) =>
        checkAnswer(state, status, body, context),
    }),
  );
  return { state, requests };
}

/** Builds step `index` of the connection's cycle, and notes its write as unanswered. */
function setUpStep(
  state: WorkloadState,
  makeStep: MakeStep,
  index: number,
  nextToken: () => number,
  request: Request,
  context: Context,
): Request {
  // The connection's previous request got no answer (a timeout or a reset), or the cycle
  // lost track of its item: start a new cycle (autocannon does when this returns nothing).
  if (index > 0 && (context.token !== undefined || !context.item)) {
    return undefined as unknown as Request;
  }
  const step = makeStep(context);
  context.step = step;
  context.token = nextToken();
  if (step.write) {
    state.unanswered.set(context.token, { kind: step.write, key: writeKeyOf(step, context) });
  }
  return { ...request, ...step.request } as Request;
}

/** What identifies a write's item: a create's unique name, otherwise the item's id. */
function writeKeyOf(step: Step, context: Context): string {
  const name = step.write === "create" ? JSON.parse(String(step.request.body)).name : "";
  return name || (context.item?.id ?? "");
}

/** Counts the answer, checks it against the step; an unexpected one ends the cycle. */
function checkAnswer(state: WorkloadState, status: number, body: string, context: Context): void {
  const step = context.step;
  if (context.token !== undefined) state.unanswered.delete(context.token);
  context.token = undefined;
  if (!step) return;
  recordStatus(state, step.route, status);
  let problem = status === step.expected ? undefined : `expected ${step.expected}`;
  try {
    problem ??= step.onAnswer?.(body);
  } catch (error) {
    problem = `unreadable answer (${error})`;
  }
  if (problem === undefined) return;
  recordUnexpected(state, `${step.route} ${status}: ${problem}: ${body.slice(0, 160)}`);
  context.item = undefined;
}
