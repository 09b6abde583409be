/**
 * DynamoDB unreachable (nothing listens on its port): every request that needs the table answers
 * 503 with Retry-After, without leaking where the database is; every request that is
 * refused on its own merits (a malformed id, a bad body or query) answers its 4xx exactly as
 * usual, which proves it never touched the table.
 */
import test from "ava";
import KSUID from "ksuid";
import { assertProblem, send } from "../helpers/api.ts";
import type { EventOptions } from "../helpers/events.ts";
import type { FunctionName } from "../helpers/handlers.ts";
import { closedEndpoint, type Handlers, importHandlers } from "../helpers/imported-handlers.ts";
import { everyRouteCase } from "../helpers/route-cases.ts";

const tableName = "items-unreachable-table";
let endpoint: string;
let handlers: Handlers;
test.before(async () => {
  endpoint = await closedEndpoint();
  handlers = await importHandlers(endpoint, tableName);
});

const id = KSUID.randomSync().string;
const valid = { name: "n", description: "d" };
const secrets = () => [tableName, endpoint, new URL(endpoint).port, "ECONNREFUSED", "127.0.0.1"];

const answers503 = test.macro({
  async exec(t, name: FunctionName, options: EventOptions) {
    const started = performance.now();
    const exchange = await send(handlers, name, options);
    const elapsedMs = performance.now() - started;
    t.log(`answered in ${Math.round(elapsedMs)} ms`);
    assertProblem(t, exchange, 503, secrets());
    const retryAfter = exchange.response.headers?.["retry-after"] ?? "";
    t.regex(retryAfter, /^[1-9][0-9]*$/, "Retry-After in whole seconds");
  },
  title: (providedTitle = "") => `${providedTitle} answers 503 with Retry-After`,
});

for (const { title, name, event } of everyRouteCase(id)) test(title, answers503, name, event);

const refusedWithoutTheTable = test.macro({
  async exec(t, name: FunctionName, options: EventOptions, status: number) {
    // Any request that reached the table would have answered 503.
    assertProblem(t, await send(handlers, name, options), status, secrets());
  },
  title: (providedTitle = "", _name, _options, status: number) =>
    `${providedTitle} answers ${status} without touching the table`,
});

const malformedIds = [
  ["an empty id", ""],
  ["a 26-character id", id.slice(1)],
  ["a 28-character id", `${id}0`],
  ["an id with a hyphen", `${id.slice(0, 26)}-`],
  ["an id with a non-ASCII letter", `${id.slice(0, 26)}é`],
  ["a 27-character id above the largest KSUID", "z".repeat(27)],
  ["a UUID", "123e4567-e89b-12d3-a456-426614174000"],
  ["a path traversal", "../etc/passwd"],
  ["an id with a NUL", `${id.slice(0, 26)}\u0000`],
  ["an id with spaces around it", ` ${id} `],
] as const;
for (const [label, malformed] of malformedIds) {
  test(
    `GET /{id} with ${label}`,
    refusedWithoutTheTable,
    "get-item",
    { method: "GET", id: malformed },
    404,
  );
  test(
    `PUT /{id} with ${label}`,
    refusedWithoutTheTable,
    "update-item",
    { method: "PUT", id: malformed, json: valid },
    404,
  );
  test(
    `DELETE /{id} with ${label}`,
    refusedWithoutTheTable,
    "delete-item",
    { method: "DELETE", id: malformed },
    404,
  );
}
const json = { "content-type": "application/json" };
test(
  "POST / with an invalid body",
  refusedWithoutTheTable,
  "create-item",
  { method: "POST", json: { name: "" } },
  400,
);
test(
  "POST / with malformed JSON",
  refusedWithoutTheTable,
  "create-item",
  { method: "POST", body: "{", headers: json },
  400,
);
test(
  "POST / as text/plain",
  refusedWithoutTheTable,
  "create-item",
  { method: "POST", body: "{}" },
  415,
);
test(
  "POST / over 64 KiB",
  refusedWithoutTheTable,
  "create-item",
  { method: "POST", body: " ".repeat(64 * 1024 + 1), headers: json },
  413,
);
test(
  "PUT /{id} with an invalid body",
  refusedWithoutTheTable,
  "update-item",
  { method: "PUT", id, json: { x: 1 } },
  400,
);
test(
  "PUT /{id} as text/plain",
  refusedWithoutTheTable,
  "update-item",
  { method: "PUT", id, body: "{}" },
  415,
);
test(
  "GET / with a bad limit",
  refusedWithoutTheTable,
  "list-items",
  { method: "GET", query: { limit: "0" } },
  400,
);
test(
  "GET / with a bad lk",
  refusedWithoutTheTable,
  "list-items",
  { method: "GET", query: { lk: "abc" } },
  400,
);
