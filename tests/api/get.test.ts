/** `GET /{id}`: the item with its ETag, 404s, and conditional reads with If-None-Match. */
import test from "ava";
import KSUID from "ksuid";
import type { Item } from "../../common/items-table.ts";
import { assertProblem, createItem, send } from "../helpers/api.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

/** An item at version 2, so that `"1"` is a stale validator. */
async function updatedItem(): Promise<Item> {
  const item = await createItem(h.handlers);
  const { response } = await send(h.handlers, "update-item", {
    method: "PUT",
    id: item.id,
    json: { name: "renamed", description: "rewritten" },
  });
  return bodyOf<Item>(response);
}

test("answers 200 with the item and its ETag", async (t) => {
  const item = await createItem(h.handlers, { name: "read me", description: "please" });
  const { event, response } = await send(h.handlers, "get-item", { method: "GET", id: item.id });
  t.is(response.statusCode, 200);
  t.deepEqual(bodyOf(response), item);
  t.is(response.headers?.etag, '"1"');
  t.is(response.headers?.["content-type"], "application/json");
  t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
});

test("answers the current version and its ETag after an update", async (t) => {
  const item = await updatedItem();
  const { response } = await send(h.handlers, "get-item", { method: "GET", id: item.id });
  t.like(bodyOf(response), { version: 2, name: "renamed", description: "rewritten" });
  t.is(response.headers?.etag, '"2"');
});

test("returns 404 when the item does not exist", async (t) => {
  const exchange = await send(h.handlers, "get-item", {
    method: "GET",
    id: KSUID.randomSync().string,
  });
  assertProblem(t, exchange, 404, [h.tableName]);
});

test("returns 404 once the item is deleted", async (t) => {
  const item = await createItem(h.handlers);
  await send(h.handlers, "delete-item", { method: "DELETE", id: item.id });
  assertProblem(t, await send(h.handlers, "get-item", { method: "GET", id: item.id }), 404);
});

test("returns 404 when the route has no id parameter at all", async (t) => {
  const exchange = await send(h.handlers, "get-item", { method: "GET", route: "/{id}" });
  assertProblem(t, exchange, 404);
});

const answersNotModified = test.macro({
  async exec(t, ifNoneMatch: (item: Item) => string) {
    const item = await updatedItem();
    const { event, response } = await send(h.handlers, "get-item", {
      method: "GET",
      id: item.id,
      headers: { "if-none-match": ifNoneMatch(item) },
    });
    t.is(response.statusCode, 304);
    t.is(response.headers?.etag, '"2"');
    t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
    t.falsy(response.body, "a 304 has no body");
    t.is(response.headers?.["content-type"], undefined, "nor a Content-Type");
  },
  title: (providedTitle = "") =>
    `answers 304 with the ETag and no body when If-None-Match is ${providedTitle}`,
});

test("the current ETag", answersNotModified, () => '"2"');
test("*", answersNotModified, () => "*");
test("the current ETag, weak (weak comparison)", answersNotModified, () => 'W/"2"');
test("a list holding the current ETag", answersNotModified, () => '"7", W/"1" ,"2"');

const answersTheItem = test.macro({
  async exec(t, ifNoneMatch: string) {
    const item = await updatedItem();
    const { response } = await send(h.handlers, "get-item", {
      method: "GET",
      id: item.id,
      headers: { "if-none-match": ifNoneMatch },
    });
    t.is(response.statusCode, 200);
    t.deepEqual(bodyOf(response), item);
    t.is(response.headers?.etag, '"2"');
  },
  title: (_providedTitle, ifNoneMatch) =>
    `answers 200 with the item when If-None-Match is ${ifNoneMatch}`,
});

for (const ifNoneMatch of ['"1"', 'W/"1"', '"1", "3"', '"02"', "2", '""', "garbage", ""]) {
  test(answersTheItem, ifNoneMatch);
}

test("returns 404, not 304, for If-None-Match: * when the item does not exist", async (t) => {
  const exchange = await send(h.handlers, "get-item", {
    method: "GET",
    id: KSUID.randomSync().string,
    headers: { "if-none-match": "*" },
  });
  assertProblem(t, exchange, 404);
});
