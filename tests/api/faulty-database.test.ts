/**
 * DynamoDB failing the ways it can: throttling, its own 5xx, a dropped connection. Each answers
 * 503 with Retry-After (bounded retries), on every route; an error that retrying cannot fix is a
 * generic 500, logged. A database that never answers is hung-database.test.ts: it needs the
 * production timeouts, where these faults answer at once and a busy machine must not turn a
 * slow answer into a 503.
 */
import test from "ava";
import KSUID from "ksuid";
import { assertProblem, send } from "../helpers/api.ts";
import { type FakeDynamoDb, type Fault, startFakeDynamoDb } from "../helpers/fake-dynamodb.ts";
import { type Handlers, importHandlers } from "../helpers/imported-handlers.ts";
import { captureLogs, type LogCapture } from "../helpers/logs.ts";
import { everyRouteCase } from "../helpers/route-cases.ts";

const tableName = "items-secret-table";
let fake: FakeDynamoDb;
let handlers: Handlers;
let logs: LogCapture;
test.before(async () => {
  fake = await startFakeDynamoDb();
  handlers = await importHandlers(fake.endpoint, tableName, { dynamoDbTimeouts: "patient" });
  logs = captureLogs();
});
test.after.always(async () => {
  logs?.restore();
  await fake?.stop();
});

const id = KSUID.randomSync().string;
const everyRoute = everyRouteCase(id);
const secrets = () => [tableName, fake.endpoint, new URL(fake.endpoint).port, "Rate", "FAKE"];

const answersOnEveryRoute = test.macro({
  async exec(t, fault: Fault, status: number) {
    fake.fault = fault;
    fake.requests.length = 0;
    const results = await Promise.all(
      everyRoute.map(async ({ title, name, event }) => {
        const started = performance.now();
        const exchange = await send(handlers, name, event);
        return { title, exchange, elapsedMs: performance.now() - started };
      }),
    );
    for (const { title, exchange, elapsedMs } of results) {
      t.log(`${title}: ${exchange.response.statusCode} in ${Math.round(elapsedMs)} ms`);
      assertProblem(t, exchange, status, secrets());
      if (status === 503)
        t.regex(exchange.response.headers?.["retry-after"] ?? "", /^[1-9][0-9]*$/);
      else t.is(exchange.response.headers?.["retry-after"], undefined);
    }
    // Retries are bounded: a handful of attempts per route, not an open-ended loop.
    t.true(fake.requests.length >= everyRoute.length);
    t.true(fake.requests.length <= everyRoute.length * 3, `${fake.requests.length} requests`);
  },
  title: (_providedTitle, fault: Fault, status: number) =>
    `every route answers ${status} when DynamoDB ${describe[fault]}`,
});

const describe: Record<Fault, string> = {
  throttled: "throttles (ProvisionedThroughputExceededException)",
  throttling: "throttles (ThrottlingException)",
  "internal-error": "fails with a 500",
  unavailable: "answers 503",
  "access-denied": "refuses access (an error retrying cannot fix)",
  hang: "never answers (hung-database.test.ts)",
  reset: "drops the connection",
};

test.serial(answersOnEveryRoute, "throttled", 503);
test.serial(answersOnEveryRoute, "throttling", 503);
test.serial(answersOnEveryRoute, "internal-error", 503);
test.serial(answersOnEveryRoute, "unavailable", 503);
test.serial(answersOnEveryRoute, "reset", 503);
test.serial(answersOnEveryRoute, "access-denied", 500);

test.serial(
  "an unexpected error is logged with its stack and the request id, and shown as a generic 500",
  async (t) => {
    fake.fault = "access-denied";
    const exchange = await send(handlers, "get-item", { method: "GET", id });
    const problem = assertProblem(t, exchange, 500, secrets());
    t.is(problem.detail, "An unexpected error occurred.");
    t.is(problem.title, "Internal Server Error");
    const [line] = logs.linesOf(exchange.event.requestContext.requestId);
    t.like(line, {
      level: "ERROR",
      status: 500,
      requestId: exchange.event.requestContext.requestId,
    });
    const error = line?.error as { name?: string; message?: string; stack?: string } | undefined;
    t.is(error?.name, "AccessDeniedException");
    t.regex(error?.stack ?? "", /\n\s+at /, "the stack is in the log");
  },
);
