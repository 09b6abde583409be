/**
 * A function that never answers: API Gateway waits up to its integration limit (30 s), then
 * answers 503 by itself, and the API keeps serving. The items API runs with one extra test-only
 * function whose handler returns a promise that never settles, and the gateway's clock is the
 * test's own (tests/local/fixture-server.ts): a request runs out of time when the test says so.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { routes } from "../../common/routes.ts";
import { bundlePathOf } from "../../scripts/build/build.ts";
import { createThroughApi } from "../helpers/api-requests.ts";
import { startTestDatabase, type TestDatabase } from "../helpers/dynalite.ts";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.ts";
import { type LocalApi, startLocalApi } from "../helpers/local-api.ts";
import { type RawResponse, sendRequest } from "../helpers/raw-http.ts";
import { type ManualGatewayTimer, manualGatewayTimer } from "../local/fixture-server.ts";

let dir: string;
let clock: ManualGatewayTimer;
let db: TestDatabase;
let proxy: FaultProxy;
let api: LocalApi;

test.before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "items-api-never-"));
  const neverAnswers = path.join(dir, "index.mjs");
  await writeFile(neverAnswers, "export const handler = () => new Promise(() => {});\n");
  db = await startTestDatabase();
  proxy = await startFaultProxy(db.endpoint);
  clock = manualGatewayTimer();
  api = await startLocalApi({
    endpoint: proxy.endpoint,
    gatewayTimer: clock.timer,
    routes: [...routes, { method: "GET", path: "/never", name: "never-answers" }],
    bundlePathOf: (name) => (name === "never-answers" ? neverAnswers : bundlePathOf(name)),
  });
});

test.after.always(async () => {
  await api?.close();
  await proxy?.close();
  await db?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The gateway's own 503 (a function's would be problem+json). */
function assertGatewayTimeout(t: import("ava").ExecutionContext, response: RawResponse): void {
  t.is(response.status, 503);
  t.deepEqual(JSON.parse(response.body.toString()), { message: "Service Unavailable" });
}

/** Whether a promise has settled yet, without waiting for it. */
function settled(promise: Promise<unknown>): () => boolean {
  let done = false;
  const end = () => {
    done = true;
  };
  void promise.then(end, end);
  return () => done;
}

test.serial(
  "answers 503 at the gateway limit when a handler never answers, and keeps serving",
  async (t) => {
    const requests = Array.from({ length: 5 }, () =>
      sendRequest(api.url, { method: "GET", target: "/never" }),
    );
    const answered = requests.map(settled);
    await clock.untilRunning(5);
    t.false(
      answered.some((done) => done()),
      "no answer while the functions still have time",
    );
    clock.expireAll();
    for (const response of await Promise.all(requests)) assertGatewayTimeout(t, response);
    const item = await createThroughApi(api.url);
    const read = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    t.is(read.status, 200, "the other functions serve as before");
    const again = sendRequest(api.url, { method: "GET", target: "/never" });
    await clock.untilRunning(1);
    clock.expireAll();
    assertGatewayTimeout(t, await again);
  },
);

test.serial(
  "answers 503 at the gateway limit when a real handler waits on a stalled DynamoDB, then recovers",
  async (t) => {
    const item = await createThroughApi(api.url);
    proxy.inject("stall");
    const stalled = proxy.counts.injected;
    const pending = sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    await proxy.untilCounts((counts) => counts.injected > stalled);
    clock.expireAll();
    const response = await pending;
    proxy.inject("none");
    assertGatewayTimeout(t, response);
    const after = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    t.is(after.status, 200, "the instance that ran late was replaced");
    t.is(clock.running, 0, "every request's clock was stopped");
  },
);
