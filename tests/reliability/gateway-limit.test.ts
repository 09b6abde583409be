/**
 * A function that never answers: API Gateway waits up to its integration limit (30 s on AWS,
 * 1 s here), then answers 503 by itself, and the API keeps serving. The items API runs with one
 * extra test-only function whose handler returns a promise that never settles.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { routes } from "../../common/routes.ts";
import { bundlePathOf } from "../../scripts/build/build.ts";
import { startTestDatabase, type TestDatabase } from "../helpers/dynalite.ts";
import { createThroughApi } from "./helpers/api-requests.ts";
import { type FaultProxy, startFaultProxy } from "./helpers/fault-proxy.ts";
import { type LocalApi, startLocalApi } from "./helpers/local-api.ts";
import { type RawResponse, sendRequest } from "./helpers/raw-http.ts";

const gatewayTimeoutMs = 1_000;
let dir: string;
let db: TestDatabase;
let proxy: FaultProxy;
let api: LocalApi;

test.before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "items-api-never-"));
  const neverAnswers = path.join(dir, "index.mjs");
  await writeFile(neverAnswers, "export const handler = () => new Promise(() => {});\n");
  db = await startTestDatabase();
  proxy = await startFaultProxy(db.endpoint);
  api = await startLocalApi({
    endpoint: proxy.endpoint,
    gatewayTimeoutMs,
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

function assertGatewayTimeout(t: import("ava").ExecutionContext, response: RawResponse): void {
  t.is(response.status, 503);
  t.deepEqual(JSON.parse(response.body.toString()), { message: "Service Unavailable" });
  t.true(
    response.ms >= gatewayTimeoutMs - 50,
    `not before the limit: ${Math.round(response.ms)} ms`,
  );
  t.true(response.ms < gatewayTimeoutMs + 1_000, `at the limit: ${Math.round(response.ms)} ms`);
}

test.serial(
  "answers 503 at the gateway limit when a handler never answers, and keeps serving",
  async (t) => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => sendRequest(api.url, { method: "GET", target: "/never" })),
    );
    for (const response of answers) assertGatewayTimeout(t, response);
    t.log(
      `never-answering handler: ${answers.map((r) => `503 in ${Math.round(r.ms)} ms`).join(", ")}`,
    );
    const item = await createThroughApi(api.url);
    const read = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    t.is(read.status, 200, "the other functions serve as before");
    const again = await sendRequest(api.url, { method: "GET", target: "/never" });
    assertGatewayTimeout(t, again);
  },
);

test.serial(
  "answers 503 at the gateway limit when a real handler waits on a stalled DynamoDB, then recovers",
  async (t) => {
    const item = await createThroughApi(api.url);
    proxy.inject("stall");
    const response = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    proxy.inject("none");
    assertGatewayTimeout(t, response);
    t.log(`stalled DynamoDB behind a 1 s gateway limit: 503 in ${Math.round(response.ms)} ms`);
    const after = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    t.is(after.status, 200, "the instance that ran late was replaced");
  },
);
