/**
 * DynamoDB accepting requests and never answering them: with the production timeouts (1 s, two
 * attempts at most), every route answers 503 with Retry-After instead of waiting for API
 * Gateway's 30 s (a handler without them would hold the test until ava's timeout), and the
 * handlers answer as before once the database does.
 */
import test from "ava";
import KSUID from "ksuid";
import { assertProblem, send } from "../helpers/api.ts";
import { type FakeDynamoDb, startFakeDynamoDb } from "../helpers/fake-dynamodb.ts";
import { type Handlers, importHandlers } from "../helpers/imported-handlers.ts";
import { everyRouteCase } from "../helpers/route-cases.ts";

const tableName = "items-hung-table";
let fake: FakeDynamoDb;
let handlers: Handlers;
test.before(async () => {
  fake = await startFakeDynamoDb();
  handlers = await importHandlers(fake.endpoint, tableName, { dynamoDbTimeouts: "production" });
});
test.after.always(async () => {
  await fake?.stop();
});

const id = KSUID.randomSync().string;
const everyRoute = everyRouteCase(id);
const secrets = () => [tableName, fake.endpoint, new URL(fake.endpoint).port, "FAKE"];

test.serial("every route answers 503 with Retry-After when DynamoDB never answers", async (t) => {
  fake.fault = "hang";
  fake.requests.length = 0;
  const exchanges = await Promise.all(
    everyRoute.map(({ name, event }) => send(handlers, name, event)),
  );
  for (const exchange of exchanges) {
    assertProblem(t, exchange, 503, secrets());
    t.regex(exchange.response.headers?.["retry-after"] ?? "", /^[1-9][0-9]*$/);
  }
  // Retries are bounded: a handful of attempts per route, not an open-ended loop.
  t.true(fake.requests.length >= everyRoute.length);
  t.true(fake.requests.length <= everyRoute.length * 3, `${fake.requests.length} requests`);
});

test.serial("the handlers keep working once DynamoDB recovers from a hang", async (t) => {
  fake.fault = "hang";
  const hung = await send(handlers, "get-item", { method: "GET", id });
  t.is(hung.response.statusCode, 503);
  fake.fault = "throttled";
  const throttled = await send(handlers, "get-item", { method: "GET", id });
  t.is(throttled.response.statusCode, 503);
});
