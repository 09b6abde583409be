/**
 * A misconfigured function: TABLE_NAME names a table that does not exist. DynamoDB answers
 * ResourceNotFoundException, which retrying cannot fix: every route answers a generic 500 that
 * names neither the table nor the SDK's error, logs the error with its stack and request id, and
 * the function lives on to answer the next request.
 */
import test from "ava";
import KSUID from "ksuid";
import { assertProblem, send } from "../helpers/api.ts";
import { startTestDatabase, type TestDatabase } from "../helpers/dynalite.ts";
import type { EventOptions } from "../helpers/events.ts";
import type { FunctionName } from "../helpers/handlers.ts";
import { type Handlers, importHandlers } from "../helpers/imported-handlers.ts";
import { captureLogs, type LogCapture } from "../helpers/logs.ts";
import { everyRouteCase } from "../helpers/route-cases.ts";

const tableName = "items-table-that-does-not-exist";
let db: TestDatabase;
let handlers: Handlers;
let logs: LogCapture;
test.before(async () => {
  db = await startTestDatabase();
  // The table is missing, the database is fine: a slow answer must not become a 503.
  handlers = await importHandlers(db.endpoint, tableName, { dynamoDbTimeouts: "patient" });
  logs = captureLogs();
});
test.after.always(async () => {
  logs?.restore();
  await db?.stop();
});

const id = KSUID.randomSync().string;

const answersGeneric500 = test.macro({
  async exec(t, name: FunctionName, options: EventOptions) {
    const exchange = await send(handlers, name, options);
    const problem = assertProblem(t, exchange, 500, [
      tableName,
      "ResourceNotFound",
      "Requested resource not found",
      "arn:",
      db.endpoint,
    ]);
    t.deepEqual(problem, {
      type: "about:blank",
      title: "Internal Server Error",
      status: 500,
      detail: "An unexpected error occurred.",
      requestId: exchange.event.requestContext.requestId,
    });
    const [line, ...others] = logs.linesOf(exchange.event.requestContext.requestId);
    t.is(others.length, 0);
    t.like(line, { level: "ERROR", status: 500 });
    const error = line?.error as { name?: string; stack?: string } | undefined;
    t.is(error?.name, "ResourceNotFoundException", "the log says what went wrong");
    t.regex(error?.stack ?? "", /\n\s+at /, "with its stack");
    // Still alive: the next request is answered as usual.
    const next = await send(handlers, "get-item", { method: "GET", id: "malformed" });
    t.is(next.response.statusCode, 404);
  },
  title: (providedTitle = "") => `${providedTitle} answers a generic 500 and logs the error`,
});

for (const { title, name, event } of everyRouteCase(id))
  test(title, answersGeneric500, name, event);
test("DELETE /{id} with a malformed If-Match", answersGeneric500, "delete-item", {
  method: "DELETE",
  id,
  headers: { "if-match": "junk" },
});
