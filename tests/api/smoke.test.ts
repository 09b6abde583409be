import test from "ava";
import { createEvent } from "../helpers/events.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

test("creates, reads, lists, updates and deletes an item", async (t) => {
  const created = await h.handlers["create-item"](createEvent({ method: "POST", json: { name: " a ", description: "b" } }));
  t.is(created.statusCode, 201, created.body);
  const item = bodyOf(created);
  t.is(item.name, "a");
  const got = await h.handlers["get-item"](createEvent({ method: "GET", id: item.id as string }));
  t.is(got.statusCode, 200);
  t.is(got.headers?.etag, '"1"');
  const list = await h.handlers["list-items"](createEvent({ method: "GET", query: { limit: "1" } }));
  t.is(list.statusCode, 200, list.body);
  t.is(bodyOf(list).lk, null);
  const upd = await h.handlers["update-item"](createEvent({ method: "PUT", id: item.id as string, headers: { "if-match": '"2"' }, json: { name: "x", description: "y" } }));
  t.is(upd.statusCode, 412, upd.body);
  const upd2 = await h.handlers["update-item"](createEvent({ method: "PUT", id: item.id as string, headers: { "if-match": '"1"' }, json: { name: "x", description: "y" } }));
  t.is(upd2.statusCode, 200, upd2.body);
  const del = await h.handlers["delete-item"](createEvent({ method: "DELETE", id: item.id as string }));
  t.is(del.statusCode, 204, del.body);
  const del2 = await h.handlers["delete-item"](createEvent({ method: "DELETE", id: item.id as string }));
  t.is(del2.statusCode, 404, del2.body);
});
