/**
 * `PUT /{id}` takes back what `GET /{id}` returns: the timestamps are accepted and ignored, a
 * body `version` is a precondition like If-Match (412 when stale, 400 when it contradicts the
 * header), `id` must still match the path; and the largest item fits in any JSON encoding.
 */
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
import { pythonJsonDumps } from "../helpers/json-encodings.ts";

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

async function read(id: string): Promise<Item> {
  const { response } = await send(h.handlers, "get-item", { method: "GET", id });
  return bodyOf<Item>(response);
}

test("takes back the item as GET returned it, with changes; the timestamps it carries are ignored", async (t) => {
  const item = await createItem(h.handlers, { name: "as created", description: "first" });
  const read1 = await read(item.id);
  await sleep(5);
  const { response } = await put(item.id, {
    json: { ...read1, name: "renamed", createdAt: "2000-01-01T00:00:00.000Z", updatedAt: "x" },
  });
  t.is(response.statusCode, 200, response.body);
  const updated = bodyOf<Item>(response);
  t.like(updated, { id: item.id, name: "renamed", description: "first", version: 2 });
  t.is(updated.createdAt, item.createdAt, "createdAt stays the server's");
  t.true(updated.updatedAt > item.updatedAt, "updatedAt is the server's");
  t.deepEqual(await storedRow(h.db, h.tableName, item.id), updated);
  t.deepEqual(await read(item.id), updated);
});

test("a body version is a precondition: the stale copy answers 412 and changes nothing", async (t) => {
  const item = await createItem(h.handlers);
  const stale = await read(item.id);
  const { response: first } = await put(item.id, { json: { ...stale, name: "first writer" } });
  t.is(first.statusCode, 200, first.body);
  const current = bodyOf<Item>(first);
  const exchange = await put(item.id, { json: { ...stale, name: "second writer" } });
  assertProblem(t, exchange, 412, [h.tableName]);
  t.deepEqual(await storedRow(h.db, h.tableName, item.id), current, "the item is unchanged");
});

test("a body version agrees with If-Match when the header names it (or is *)", async (t) => {
  const item = await createItem(h.handlers);
  for (const [ifMatch, expected] of [
    ['"1"', 2],
    ['"9", "2"', 3],
    ["*", 4],
  ] as const) {
    const current = await read(item.id);
    const { response } = await put(item.id, {
      json: { ...current, name: `at ${expected}` },
      headers: { "if-match": ifMatch },
    });
    t.is(response.statusCode, 200, response.body);
    t.is(bodyOf<Item>(response).version, expected);
  }
  const stale = { ...(await read(item.id)), version: 1 };
  assertProblem(t, await put(item.id, { json: stale, headers: { "if-match": "*" } }), 412);
});

test("a body version on a missing item answers 404 and creates nothing", async (t) => {
  const id = KSUID.randomSync().string;
  assertProblem(t, await put(id, { json: { id, ...replacement, version: 1 } }), 404);
  t.is(await storedRow(h.db, h.tableName, id), undefined);
});

test("accepts the largest item as Python's json.dumps sends it (ASCII escapes, 26,431 bytes)", async (t) => {
  const item = await createItem(h.handlers);
  const largest = { name: "😀".repeat(200), description: "😀".repeat(2_000) };
  const { response } = await put(item.id, {
    json: undefined,
    body: pythonJsonDumps(largest),
    headers: { "content-type": "application/json" },
  });
  t.is(response.statusCode, 200, response.body);
  t.like(bodyOf(response), { ...largest, version: 2 });
});

/** Refusals: each answers 400 naming `fields` and leaves the stored item exactly as it was. */
const refuses = test.macro({
  async exec(t, options: (item: Item) => Partial<EventOptions>, fields: readonly string[]) {
    const item = await createItem(h.handlers);
    const problem = assertProblem(t, await put(item.id, options(item)), 400, [h.tableName]);
    t.deepEqual([...fieldErrorsOf(problem).keys()].sort(), [...fields].sort());
    t.deepEqual(await storedRow(h.db, h.tableName, item.id), item, "the item is unchanged");
  },
  title: (providedTitle = "") => `answers 400 and changes nothing when ${providedTitle}`,
});

test("the version is a fraction", refuses, () => ({ json: { ...replacement, version: 1.5 } }), [
  "version",
]);
test("the version is a string", refuses, () => ({ json: { ...replacement, version: "1" } }), [
  "version",
]);
test(
  "the timestamps are not strings",
  refuses,
  () => ({ json: { ...replacement, createdAt: 0, updatedAt: null } }),
  ["createdAt", "updatedAt"],
);
test(
  "the version contradicts If-Match",
  refuses,
  (item) => ({
    json: { ...item, ...replacement },
    headers: { "if-match": `"${item.version + 1}"` },
  }),
  ["version"],
);
test(
  "the version is one a malformed If-Match cannot name",
  refuses,
  (item) => ({ json: { ...item, ...replacement }, headers: { "if-match": `W/"${item.version}"` } }),
  ["version"],
);
test(
  "the id of the item sent back is another's",
  refuses,
  (item) => ({ json: { ...item, id: KSUID.randomSync().string } }),
  ["id"],
);
test(
  "the item sent back has a field no item has",
  refuses,
  (item) => ({ json: { ...item, colour: "red" } }),
  ["colour"],
);
