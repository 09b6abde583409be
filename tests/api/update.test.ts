/** `PUT /{id}`: replaces both fields in one conditional write, honouring If-Match; never creates. */
import test from "ava";
import KSUID from "ksuid";
import type { Item } from "../../common/items-table.ts";
import {
  assertProblem,
  createItem,
  type Exchange,
  fieldErrorsOf,
  send,
  sleep,
  storedRow,
} from "../helpers/api.ts";
import type { EventOptions } from "../helpers/events.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

const replacement = { name: "new name", description: "new description" };

function put(id: string, options: Partial<EventOptions> = {}): Promise<Exchange> {
  return send(h.handlers, "update-item", { method: "PUT", id, json: replacement, ...options });
}

test("answers 200 with the replaced item, version + 1, a new updatedAt and the ETag", async (t) => {
  const item = await createItem(h.handlers, { name: "old", description: "old text" });
  await sleep(5);
  const { event, response } = await put(item.id, {
    json: { name: "  new  ", description: "  new text\n" },
  });
  t.is(response.statusCode, 200, response.body);
  const updated = bodyOf<Item>(response);
  t.deepEqual(Object.keys(updated).sort(), Object.keys(item).sort());
  t.like(updated, {
    id: item.id,
    name: "new",
    description: "  new text\n",
    createdAt: item.createdAt,
    version: 2,
  });
  t.regex(updated.updatedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  t.true(updated.updatedAt > item.updatedAt, "updatedAt moves on");
  t.is(response.headers?.etag, '"2"');
  t.is(response.headers?.["content-type"], "application/json");
  t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
  t.deepEqual(await storedRow(h.db, h.tableName, item.id), updated);
});

test("bumps the version by one on every update", async (t) => {
  const item = await createItem(h.handlers);
  for (const version of [2, 3, 4]) {
    const { response } = await put(item.id);
    t.is(bodyOf<Item>(response).version, version);
    t.is(response.headers?.etag, `"${version}"`);
  }
});

test("accepts an id field equal to the path id", async (t) => {
  const item = await createItem(h.handlers);
  const { response } = await put(item.id, { json: { id: item.id, ...replacement } });
  t.is(response.statusCode, 200, response.body);
  t.like(bodyOf(response), { id: item.id, ...replacement, version: 2 });
});

test("keeps any Unicode and trims only the name", async (t) => {
  const item = await createItem(h.handlers);
  const text = { name: " 🦄 e\u0301 ", description: " 👩‍👩‍👧\t\r\n " };
  const { response } = await put(item.id, { json: text });
  t.like(bodyOf(response), { name: "🦄 e\u0301", description: text.description });
});

test("accepts a base64-encoded body with a UTF-8 charset", async (t) => {
  const item = await createItem(h.handlers);
  const { response } = await put(item.id, {
    json: undefined,
    body: JSON.stringify(replacement),
    base64: true,
    headers: { "content-type": "application/json; charset=UTF-8" },
  });
  t.is(response.statusCode, 200, response.body);
});

test("returns 404 when the item does not exist, and does not create it", async (t) => {
  const id = KSUID.randomSync().string;
  assertProblem(t, await put(id), 404, [h.tableName]);
  t.is(await storedRow(h.db, h.tableName, id), undefined);
});

test("returns 404 for a deleted item, and does not resurrect it", async (t) => {
  const item = await createItem(h.handlers);
  await send(h.handlers, "delete-item", { method: "DELETE", id: item.id });
  assertProblem(t, await put(item.id), 404);
  t.is(await storedRow(h.db, h.tableName, item.id), undefined);
});

/** Refusals: each answers its status and leaves the stored item exactly as it was. */
const rejects = test.macro({
  async exec(
    t,
    options: (item: Item) => Partial<EventOptions>,
    status: number,
    errors?: readonly string[],
  ) {
    const item = await createItem(h.handlers);
    const problem = assertProblem(t, await put(item.id, options(item)), status, [h.tableName]);
    if (errors) t.deepEqual([...fieldErrorsOf(problem).keys()].sort(), [...errors].sort());
    t.deepEqual(await storedRow(h.db, h.tableName, item.id), item, "the item is unchanged");
  },
  title: (providedTitle = "", _options: unknown, status: number) =>
    `answers ${status} and changes nothing when ${providedTitle}`,
});

test(
  "the id field differs from the path id",
  rejects,
  () => ({
    json: { id: KSUID.randomSync().string, ...replacement },
  }),
  400,
  ["id"],
);
test("the id field is not a string", rejects, () => ({ json: { id: 1, ...replacement } }), 400, [
  "id",
]);
test(
  "an unknown field is sent",
  rejects,
  () => ({ json: { ...replacement, colour: "red" } }),
  400,
  ["colour"],
);
test(
  "the version is not a positive integer",
  rejects,
  () => ({ json: { ...replacement, version: 0 } }),
  400,
  ["version"],
);
test("the name is missing", rejects, () => ({ json: { description: "x" } }), 400, ["name"]);
test("the description is missing", rejects, () => ({ json: { name: "x" } }), 400, ["description"]);
test("the body is an empty object", rejects, () => ({ json: {} }), 400, ["name", "description"]);
test(
  "every field is invalid at once",
  rejects,
  (item) => ({
    json: { id: anotherIdLike(item.id), name: " ", description: "\u0000", extra: 1 },
  }),
  400,
  ["id", "name", "description", "extra"],
);
test(
  "the name is 201 characters",
  rejects,
  () => ({ json: { name: "n".repeat(201), description: "" } }),
  400,
  ["name"],
);
test(
  "the description is 2001 characters",
  rejects,
  () => ({ json: { name: "n", description: "d".repeat(2_001) } }),
  400,
  ["description"],
);
test(
  "the name holds a line feed",
  rejects,
  () => ({ json: { name: "a\nb", description: "" } }),
  400,
  ["name"],
);
test(
  "the name holds a lone surrogate",
  rejects,
  () => ({ json: { name: "\ud800", description: "" } }),
  400,
  ["name"],
);
test(
  "the body is malformed JSON",
  rejects,
  () => ({ json: undefined, body: "{", headers: { "content-type": "application/json" } }),
  400,
);
test("the body is a JSON array", rejects, () => ({ json: [replacement] }), 400);
test("the body is JSON null", rejects, () => ({ json: null }), 400);
test(
  "the body is empty",
  rejects,
  () => ({ json: undefined, headers: { "content-type": "application/json" } }),
  400,
);
test(
  "the body is invalid UTF-8",
  rejects,
  () => ({
    json: undefined,
    body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    base64: true,
    headers: { "content-type": "application/json" },
  }),
  400,
);
test(
  "the body is over 64 KiB",
  rejects,
  () => ({
    json: undefined,
    body: JSON.stringify(replacement).padEnd(64 * 1024 + 1, " "),
    headers: { "content-type": "application/json" },
  }),
  413,
);
test(
  "the Content-Type is missing",
  rejects,
  () => ({ json: undefined, body: JSON.stringify(replacement) }),
  415,
);
test(
  "the Content-Type is text/plain",
  rejects,
  () => ({
    json: undefined,
    body: JSON.stringify(replacement),
    headers: { "content-type": "text/plain" },
  }),
  415,
);
test(
  "the charset is not UTF-8",
  rejects,
  () => ({
    json: undefined,
    body: JSON.stringify(replacement),
    headers: { "content-type": "application/json; charset=iso-8859-1" },
  }),
  415,
);

// If-Match: the write happens only when the stored version is one the header names.
const honoursIfMatch = test.macro({
  async exec(t, ifMatch: string) {
    const item = await createItem(h.handlers);
    const { response } = await put(item.id, { headers: { "if-match": ifMatch } });
    t.is(response.statusCode, 200, response.body);
    t.is(bodyOf<Item>(response).version, 2);
  },
  title: (_providedTitle, ifMatch: string) =>
    `answers 200 when If-Match is \`${ifMatch}\` on version 1`,
});
for (const ifMatch of ['"1"', "*", ' "1" ', '"3", "1"']) test(honoursIfMatch, ifMatch);

const refusesIfMatch = test.macro({
  async exec(t, ifMatch: string) {
    const item = await createItem(h.handlers);
    const { response: bumped } = await put(item.id, { json: { name: "v2", description: "" } });
    const current = bodyOf<Item>(bumped);
    const exchange = await put(item.id, { headers: { "if-match": ifMatch } });
    assertProblem(t, exchange, 412, [h.tableName]);
    t.deepEqual(await storedRow(h.db, h.tableName, item.id), current, "the item is unchanged");
  },
  title: (_providedTitle, ifMatch: string) =>
    `answers 412 and changes nothing when If-Match is \`${ifMatch}\` on version 2`,
});
// Weak tags never match If-Match (strong comparison); a malformed header names no version.
for (const ifMatch of ['"1"', '"3"', '"1", "3"', 'W/"2"', "2", '"02"', '""', '"2', "abc", ""]) {
  test(refusesIfMatch, ifMatch);
}

const missingWithIfMatch = test.macro({
  async exec(t, ifMatch: string) {
    const id = KSUID.randomSync().string;
    assertProblem(t, await put(id, { headers: { "if-match": ifMatch } }), 404);
    t.is(await storedRow(h.db, h.tableName, id), undefined);
  },
  title: (_providedTitle, ifMatch: string) =>
    `returns 404, not 412, when If-Match is \`${ifMatch}\` and the item does not exist`,
});
for (const ifMatch of ['"1"', "*", 'W/"1"', "garbage"]) test(missingWithIfMatch, ifMatch);

/** The id with its last character changed: a valid-looking id that is never the same one. */
function anotherIdLike(id: string): string {
  return `${id.slice(0, -1)}${id.endsWith("x") ? "y" : "x"}`;
}
