/** `DELETE /{id}`: 204 once, then 404; If-Match as for update, and the item stays on 412. */
import test from "ava";
import KSUID from "ksuid";
import type { Item } from "../../common/items-table.ts";
import { assertProblem, createItem, type Exchange, send, storedRow } from "../helpers/api.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

function remove(id: string, ifMatch?: string): Promise<Exchange> {
  return send(h.handlers, "delete-item", {
    method: "DELETE",
    id,
    ...(ifMatch === undefined ? {} : { headers: { "if-match": ifMatch } }),
  });
}

test("answers 204 with no body, and the item is gone", async (t) => {
  const item = await createItem(h.handlers);
  const { event, response } = await remove(item.id);
  t.is(response.statusCode, 204);
  t.falsy(response.body, "a 204 has no body");
  t.is(response.headers?.["content-type"], undefined, "nor a Content-Type");
  t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
  t.is(await storedRow(h.db, h.tableName, item.id), undefined);
  assertProblem(t, await send(h.handlers, "get-item", { method: "GET", id: item.id }), 404);
});

test("returns 404 when the item is deleted a second time", async (t) => {
  const item = await createItem(h.handlers);
  t.is((await remove(item.id)).response.statusCode, 204);
  assertProblem(t, await remove(item.id), 404, [h.tableName]);
});

test("returns 404 when the item never existed", async (t) => {
  assertProblem(t, await remove(KSUID.randomSync().string), 404, [h.tableName]);
});

test("deletes only the item named", async (t) => {
  const [kept, removed] = await Promise.all([createItem(h.handlers), createItem(h.handlers)]);
  if (!kept || !removed) throw new Error("two items expected");
  await remove(removed.id);
  t.deepEqual(await storedRow(h.db, h.tableName, kept.id), kept);
});

const deletesWhen = test.macro({
  async exec(t, ifMatch: string) {
    const item = await createItem(h.handlers);
    const { response } = await remove(item.id, ifMatch);
    t.is(response.statusCode, 204, response.body);
    t.is(await storedRow(h.db, h.tableName, item.id), undefined);
  },
  title: (_providedTitle, ifMatch: string) =>
    `answers 204 when If-Match is \`${ifMatch}\` on version 1`,
});
for (const ifMatch of ['"1"', "*", '"4", "1"']) test(deletesWhen, ifMatch);

const keepsWhen = test.macro({
  async exec(t, ifMatch: string) {
    const item = await createItem(h.handlers);
    const { response: bumped } = await send(h.handlers, "update-item", {
      method: "PUT",
      id: item.id,
      json: { name: "v2", description: "" },
    });
    const current = bodyOf<Item>(bumped);
    assertProblem(t, await remove(item.id, ifMatch), 412, [h.tableName]);
    t.deepEqual(await storedRow(h.db, h.tableName, item.id), current, "the item stays");
    t.is((await remove(item.id, '"2"')).response.statusCode, 204, "the current ETag still deletes");
  },
  title: (_providedTitle, ifMatch: string) =>
    `answers 412 and keeps the item when If-Match is \`${ifMatch}\` on version 2`,
});
for (const ifMatch of ['"1"', '"3"', 'W/"2"', "2", '""', "junk"]) test(keepsWhen, ifMatch);

const missingWhen = test.macro({
  async exec(t, ifMatch: string) {
    assertProblem(t, await remove(KSUID.randomSync().string, ifMatch), 404);
  },
  title: (_providedTitle, ifMatch: string) =>
    `returns 404, not 412, when If-Match is \`${ifMatch}\` and the item does not exist`,
});
for (const ifMatch of ['"1"', "*", "junk"]) test(missingWhen, ifMatch);
