/**
 * What every answer carries, route by route: `x-request-id` (the event's request id, also in that
 * request's log line), a `Content-Type` whenever there is a body and none otherwise, and on every
 * error an RFC 9457 problem with nothing internal in it.
 */
import test from "ava";
import KSUID from "ksuid";
import type { Item } from "../../common/items-table.ts";
import { assertProblem, createItem, type Exchange, send } from "../helpers/api.ts";
import type { EventOptions } from "../helpers/events.ts";
import { type FunctionName, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";
import { captureLogs, type LogCapture } from "../helpers/logs.ts";

let h: HandlerHarness;
let logs: LogCapture;
test.before(async () => {
  logs = captureLogs();
  h = await loadHandlers();
});
test.after.always(async () => {
  logs?.restore();
  await h?.db.stop();
});

type Request = (item: Item) => [FunctionName, EventOptions];
const valid = { name: "n", description: "d" };
const missing = KSUID.randomSync().string;

function assertLogged(t: Parameters<typeof assertProblem>[0], { event, response }: Exchange) {
  const lines = logs.linesOf(event.requestContext.requestId);
  t.is(lines.length, 1, "one log line per request, carrying its request id");
  t.like(lines[0], {
    requestId: event.requestContext.requestId,
    status: response.statusCode,
    method: event.requestContext.http.method,
    path: event.rawPath,
  });
}

const answersWithBody = test.macro({
  async exec(t, request: Request, status: number) {
    const [name, options] = request(await createItem(h.handlers));
    const exchange = await send(h.handlers, name, options);
    const { event, response } = exchange;
    t.is(response.statusCode, status, response.body);
    t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
    t.is(response.headers?.["content-type"], "application/json");
    t.notThrows(() => JSON.parse(response.body ?? ""));
    assertLogged(t, exchange);
  },
  title: (providedTitle = "", _request, status: number) =>
    `${providedTitle} answers ${status} with x-request-id and Content-Type`,
});

test("POST /", answersWithBody, () => ["create-item", { method: "POST", json: valid }], 201);
test("GET /", answersWithBody, () => ["list-items", { method: "GET" }], 200);
test("GET /{id}", answersWithBody, (item) => ["get-item", { method: "GET", id: item.id }], 200);
test(
  "PUT /{id}",
  answersWithBody,
  (item) => ["update-item", { method: "PUT", id: item.id, json: valid }],
  200,
);

const answersWithoutBody = test.macro({
  async exec(t, request: Request, status: number) {
    const [name, options] = request(await createItem(h.handlers));
    const exchange = await send(h.handlers, name, options);
    const { event, response } = exchange;
    t.is(response.statusCode, status, response.body);
    t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
    t.falsy(response.body);
    t.is(response.headers?.["content-type"], undefined);
    assertLogged(t, exchange);
  },
  title: (providedTitle = "", _request, status: number) =>
    `${providedTitle} answers ${status} with x-request-id, no body and no Content-Type`,
});

test(
  "DELETE /{id}",
  answersWithoutBody,
  (item) => ["delete-item", { method: "DELETE", id: item.id }],
  204,
);
test(
  "GET /{id} with If-None-Match",
  answersWithoutBody,
  (item) => ["get-item", { method: "GET", id: item.id, headers: { "if-none-match": '"1"' } }],
  304,
);

const answersProblem = test.macro({
  async exec(t, request: Request, status: number) {
    const [name, options] = request(await createItem(h.handlers));
    const exchange = await send(h.handlers, name, options);
    assertProblem(t, exchange, status, [h.tableName, h.db.endpoint, new URL(h.db.endpoint).port]);
    assertLogged(t, exchange);
  },
  title: (providedTitle = "", _request, status: number) =>
    `${providedTitle} answers ${status} as problem+json with the request id and nothing internal`,
});

const json = { "content-type": "application/json" };
const big = JSON.stringify(valid).padEnd(64 * 1024 + 1, " ");
test(
  "POST / with an invalid body",
  answersProblem,
  () => ["create-item", { method: "POST", json: { name: "" } }],
  400,
);
test(
  "POST / with malformed JSON",
  answersProblem,
  () => ["create-item", { method: "POST", body: "{", headers: json }],
  400,
);
test(
  "POST / with a body over 64 KiB",
  answersProblem,
  () => ["create-item", { method: "POST", body: big, headers: json }],
  413,
);
test(
  "POST / as text/plain",
  answersProblem,
  () => ["create-item", { method: "POST", body: "{}", headers: { "content-type": "text/plain" } }],
  415,
);
test(
  "GET / with a bad limit",
  answersProblem,
  () => ["list-items", { method: "GET", query: { limit: "0" } }],
  400,
);
test(
  "GET / with a bad lk",
  answersProblem,
  () => ["list-items", { method: "GET", query: { lk: "x" } }],
  400,
);
test(
  "GET /{id} of a missing item",
  answersProblem,
  () => ["get-item", { method: "GET", id: missing }],
  404,
);
test(
  "GET /{id} of a malformed id",
  answersProblem,
  () => ["get-item", { method: "GET", id: "nope" }],
  404,
);
test(
  "PUT /{id} with an invalid body",
  answersProblem,
  (item) => ["update-item", { method: "PUT", id: item.id, json: { extra: 1 } }],
  400,
);
test(
  "PUT /{id} of a missing item",
  answersProblem,
  () => ["update-item", { method: "PUT", id: missing, json: valid }],
  404,
);
test(
  "PUT /{id} of a malformed id",
  answersProblem,
  () => ["update-item", { method: "PUT", id: "nope", json: valid }],
  404,
);
test(
  "PUT /{id} with a stale If-Match",
  answersProblem,
  (item) => [
    "update-item",
    { method: "PUT", id: item.id, json: valid, headers: { "if-match": '"9"' } },
  ],
  412,
);
test(
  "PUT /{id} with a body over 64 KiB",
  answersProblem,
  (item) => ["update-item", { method: "PUT", id: item.id, body: big, headers: json }],
  413,
);
test(
  "PUT /{id} with no Content-Type",
  answersProblem,
  (item) => ["update-item", { method: "PUT", id: item.id, body: "{}" }],
  415,
);
test(
  "DELETE /{id} of a missing item",
  answersProblem,
  () => ["delete-item", { method: "DELETE", id: missing }],
  404,
);
test(
  "DELETE /{id} of a malformed id",
  answersProblem,
  () => ["delete-item", { method: "DELETE", id: "nope" }],
  404,
);
test(
  "DELETE /{id} with a stale If-Match",
  answersProblem,
  (item) => ["delete-item", { method: "DELETE", id: item.id, headers: { "if-match": '"9"' } }],
  412,
);

test("an error names the invalid fields under errors only on validation failures", async (t) => {
  const notFound = assertProblem(
    t,
    await send(h.handlers, "get-item", { method: "GET", id: missing }),
    404,
  );
  t.false("errors" in notFound);
  const invalid = assertProblem(
    t,
    await send(h.handlers, "create-item", { method: "POST", json: {} }),
    400,
  );
  t.deepEqual(invalid.errors, [
    { path: "name", message: "is required" },
    { path: "description", message: "is required" },
  ]);
});
