/**
 * The local server end to end, on test-only functions: what reaches a function, what the client
 * gets back, the gateway's own answers, isolation between functions, and the request log.
 */
import test from "ava";
import {
  type CounterAnswer,
  type EchoAnswer,
  type FixtureServer,
  jsonOf,
  startFixtureServer,
} from "./fixture-server.ts";

let server: FixtureServer;
const gatewayTimeoutMs = 30_000;

test.before(async () => {
  server = await startFixtureServer({ gatewayTimeoutMs });
});

test.after.always(async () => {
  await server?.close();
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

test("hands the function a payload 2.0 event and answers with its result", async (t) => {
  const response = await get("/echo/a%20b?x=1&x=2", { headers: { cookie: "c=1", "x-a": "v" } });
  const { event, functionName, env } = await jsonOf<EchoAnswer>(response);
  t.is(response.status, 200);
  t.is(functionName, "echo");
  t.like(event, {
    version: "2.0",
    routeKey: "GET /echo/{id}",
    rawPath: "/echo/a b",
    rawQueryString: "x=1&x=2",
    cookies: ["c=1"],
    queryStringParameters: { x: "1,2" },
    pathParameters: { id: "a b" },
    requestContext: { stage: "$default", http: { method: "GET", path: "/echo/a b" } },
    isBase64Encoded: false,
  });
  t.is(event.headers["x-a"], "v");
  t.regex(event.requestContext.requestId, /^[A-Za-z0-9_-]{15}=$/);
  t.is(response.headers.get("apigw-requestid"), event.requestContext.requestId);
  t.deepEqual(env, { TABLE_NAME: "items", IDEMPOTENCY_TABLE_NAME: null, HOME: null });
});

test("gives the function the gateway's remaining time", async (t) => {
  const answer = await jsonOf<EchoAnswer>(await get("/echo"));
  // The gateway's limit counts from the request's arrival (timeEpoch), read on the same clock.
  const deadline = answer.event.requestContext.timeEpoch + gatewayTimeoutMs;
  t.true(answer.remainingMs >= deadline - answer.clockAfter, `${answer.remainingMs} ms`);
  t.true(answer.remainingMs <= deadline - answer.clockBefore, `${answer.remainingMs} ms`);
});

test("answers an unknown route with API Gateway's 404", async (t) => {
  for (const path of ["/nope", "/echo/", "/echo/a/b"]) {
    const response = await get(path);
    t.is(response.status, 404, path);
    t.is(await response.text(), '{"message":"Not Found"}');
  }
  t.is((await get("/echo", { method: "DELETE" })).status, 404);
});

test("answers 500 without a trace of the error when the handler throws", async (t) => {
  const response = await get("/throw");
  t.is(response.status, 500);
  t.is(await response.text(), '{"message":"Internal Server Error"}');
  await server.outputIncludes("Invoke Error");
  t.pass();
});

test("answers 500 when the bundle fails to load or the runtime crashes, then recovers", async (t) => {
  t.is((await get("/bad-init")).status, 500);
  t.is((await get("/crash")).status, 500);
  t.is((await get("/crash")).status, 500);
  t.is((await get("/echo")).status, 200);
});

// Serial: the other crash test writes the same lines into the same output.
test.serial(
  "what a function writes just before its runtime crashes still reaches the output",
  async (t) => {
    const from = server.output.length;
    t.is((await get("/crash")).status, 500);
    const indexOf = (text: string) =>
      server.output.slice(from).findIndex((chunk) => chunk.includes(text));
    await server.outputIncludes("Uncaught Exception", from);
    t.not(indexOf("Uncaught Exception"), -1);
    t.not(indexOf("crash fixture: last words"), -1);
    t.true(indexOf("last words") < indexOf("Uncaught Exception"), "the line precedes the report");
  },
);

test("maps a structured result: status, cookies and a base64 body", async (t) => {
  const result = { statusCode: 202, cookies: ["a=1", "b=2"], body: "AAEC", isBase64Encoded: true };
  const response = await get("/result", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(result),
  });
  t.is(response.status, 202);
  t.deepEqual(response.headers.getSetCookie(), ["a=1", "b=2"]);
  t.deepEqual([...new Uint8Array(await response.arrayBuffer())], [0, 1, 2]);
});

test("sends no body and no length with a 204", async (t) => {
  const response = await get("/result", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ statusCode: 204, body: "ignored" }),
  });
  t.is(response.status, 204);
  t.is(response.headers.get("content-length"), null);
  t.is(await response.text(), "");
});

test("answers 413 for a body over 10 MB, declared or streamed", async (t) => {
  const tooBig = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
  const declared = await get("/echo/x", { method: "POST", body: tooBig });
  t.is(declared.status, 413);
  t.is(await declared.text(), '{"message":"Request Entity Too Large"}');
  const streamed = await get("/echo/x", {
    method: "POST",
    body: new Blob([tooBig]).stream(),
    duplex: "half",
  } as RequestInit);
  t.is(streamed.status, 413);
});

test("answers 413 when the event would pass Lambda's 6 MB limit", async (t) => {
  const body = Buffer.alloc(5 * 1024 * 1024, 0x61); // base64 makes the event ~6.7 MB
  const response = await get("/echo/x", { method: "POST", body });
  t.is(response.status, 413);
});

test.serial("runs each function in its own instances: no module state is shared", async (t) => {
  const a1 = await jsonOf<CounterAnswer>(await get("/counter-a"));
  const a2 = await jsonOf<CounterAnswer>(await get("/counter-a"));
  const b1 = await jsonOf<CounterAnswer>(await get("/counter-b"));
  t.is(a2.invocations, a1.invocations + 1);
  t.is(b1.invocations, 1);
  t.not(a1.threadId, b1.threadId);
});

test.serial("starts another instance for a concurrent request, as Lambda scales out", async (t) => {
  // Each answers only once the other has arrived: both answering means both ran at once.
  const [first, second] = await Promise.all(
    [1, 2].map(async () => jsonOf<CounterAnswer>(await get("/counter-b?pair=scale-out"))),
  );
  t.not(first?.threadId, second?.threadId);
});

test("logs one entry per request: method, path, status, time, function, request id", async (t) => {
  const response = await get("/echo/log-me");
  await response.text();
  const entry = server.requests.find((e) => e.path === "/echo/log-me");
  t.like(entry, { method: "GET", status: 200, functionName: "echo" });
  t.is(entry?.requestId, response.headers.get("apigw-requestid") ?? "");
  t.true(typeof entry?.ms === "number");
});
