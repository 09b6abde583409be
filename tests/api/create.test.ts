/** `POST /` on success: the answer, what is stored, and every input the contract accepts. */
import test from "ava";
import KSUID from "ksuid";
import type { Item } from "../../common/items-table.ts";
import { createItem, send, storedRow } from "../helpers/api.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";
import { jsonEncodings, pythonJsonDumps } from "../helpers/json-encodings.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

interface ItemInput {
  readonly name: string;
  readonly description: string;
}

const rfc3339UtcMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

test("answers 201 with the item, its Location and its ETag", async (t) => {
  const before = Date.now();
  const { event, response } = await send(h.handlers, "create-item", {
    method: "POST",
    json: { name: "milk", description: "two litres" },
  });
  const after = Date.now();
  t.is(response.statusCode, 201, response.body);
  t.is(response.headers?.["content-type"], "application/json");
  t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
  const item = bodyOf<Item>(response);
  t.deepEqual(Object.keys(item).sort(), [
    "createdAt",
    "description",
    "id",
    "name",
    "updatedAt",
    "version",
  ]);
  t.regex(item.id, /^[0-9A-Za-z]{27}$/);
  const ksuidTime = KSUID.parse(item.id).date.getTime();
  t.true(ksuidTime >= before - 1_000 && ksuidTime <= after + 1_000, "the KSUID carries the time");
  t.is(item.name, "milk");
  t.is(item.description, "two litres");
  t.regex(item.createdAt, rfc3339UtcMs);
  t.is(new Date(item.createdAt).toISOString(), item.createdAt);
  const createdAt = Date.parse(item.createdAt);
  t.true(createdAt >= before && createdAt <= after);
  t.is(item.updatedAt, item.createdAt);
  t.is(item.version, 1);
  t.true(Number.isInteger(item.version));
  t.is(response.headers?.location, `/${item.id}`);
  t.is(response.headers?.etag, '"1"');
});

test("stores exactly the item it answers with, and GET returns it", async (t) => {
  const item = await createItem(h.handlers, { name: "stored", description: "as answered" });
  t.deepEqual(await storedRow(h.db, h.tableName, item.id), item);
  const { response } = await send(h.handlers, "get-item", { method: "GET", id: item.id });
  t.deepEqual(bodyOf(response), item);
});

test("gives every item a different id", async (t) => {
  const items = await Promise.all(Array.from({ length: 20 }, () => createItem(h.handlers)));
  t.is(new Set(items.map((item) => item.id)).size, 20);
});

const roundTrips = test.macro({
  async exec(t, input: ItemInput, expected: ItemInput = input) {
    const { response } = await send(h.handlers, "create-item", { method: "POST", json: input });
    t.is(response.statusCode, 201, response.body);
    const item = bodyOf<Item>(response);
    t.is(item.name, expected.name);
    t.is(item.description, expected.description);
    const { response: read } = await send(h.handlers, "get-item", {
      method: "GET",
      id: item.id,
    });
    t.like(bodyOf(read), expected);
  },
  title: (providedTitle = "") => `keeps ${providedTitle}`,
});

test("an emoji and a ZWJ sequence", roundTrips, {
  name: "😀 👩‍👩‍👧",
  description: "🎉🇫🇷",
});
test("characters outside the BMP", roundTrips, { name: "𝒜𝓁𝓅𝒽𝒶", description: "𠜎𠜱" });
test("combining marks unnormalized", roundTrips, { name: "e\u0301", description: "A\u030A" });
test("CJK and right-to-left scripts", roundTrips, { name: "日本語", description: "مرحبا עולם" });
test("C1 controls, zero-width and private-use characters", roundTrips, {
  name: "a\u0085\u200b\ue000\uffffb",
  description: "\u0080\u009f\u200d\ufeff",
});
test("tab, line feed and carriage return in the description", roundTrips, {
  name: "lines",
  description: "a\tb\nc\r\nd\r",
});
test("the description verbatim, surrounding white space included", roundTrips, {
  name: "padded",
  description: "  \n\t spaced out \t\n  ",
});
test("an empty description", roundTrips, { name: "bare", description: "" });
test(
  "the name trimmed of surrounding white space",
  roundTrips,
  { name: "   milk and honey  ", description: "x" },
  { name: "milk and honey", description: "x" },
);
test(
  "the name trimmed of Unicode white space (NBSP, ideographic space)",
  roundTrips,
  { name: "\u00a0\u3000milk\u2003", description: "x" },
  { name: "milk", description: "x" },
);
test("white space inside the name", roundTrips, { name: "a  \u00a0 b", description: "x" });
test("a name of exactly 200 characters", roundTrips, {
  name: "n".repeat(200),
  description: "",
});
test("a name of exactly 200 emoji (each one code point)", roundTrips, {
  name: "😀".repeat(200),
  description: "",
});
test(
  "a name of 200 characters once trimmed",
  roundTrips,
  { name: `  ${"n".repeat(200)}  `, description: "" },
  { name: "n".repeat(200), description: "" },
);
test("a description of exactly 2000 characters", roundTrips, {
  name: "long",
  description: "d".repeat(2_000),
});
test("a description of exactly 2000 emoji", roundTrips, {
  name: "long",
  description: "🦄".repeat(2_000),
});

const accepts = test.macro({
  async exec(t, options: Parameters<typeof send>[2]) {
    const { response } = await send(h.handlers, "create-item", options);
    t.is(response.statusCode, 201, response.body);
    t.like(bodyOf(response), { name: "ok", description: "fine" });
  },
  title: (providedTitle = "") => `accepts ${providedTitle}`,
});

const body = '{"name":"ok","description":"fine"}';
for (const contentType of [
  "application/json",
  "application/json; charset=utf-8",
  "application/json;charset=UTF-8",
  'application/json; charset="utf-8"',
  "application/json; charset=utf8",
  "Application/JSON",
]) {
  test(`Content-Type: ${contentType}`, accepts, {
    method: "POST",
    body,
    headers: { "content-type": contentType },
  });
}
test("a base64-encoded body (isBase64Encoded)", accepts, {
  method: "POST",
  body,
  base64: true,
  headers: { "content-type": "application/json" },
});
test("JSON escapes, decoded", accepts, {
  method: "POST",
  body: '{"name":"\\u006fk","description":"fin\\u0065"}',
  headers: { "content-type": "application/json" },
});
test("a body of exactly 64 KiB", accepts, {
  method: "POST",
  body: body.padEnd(64 * 1024, " "),
  headers: { "content-type": "application/json" },
});
test("a base64-encoded body of exactly 64 KiB once decoded", accepts, {
  method: "POST",
  body: body.padEnd(64 * 1024, " "),
  base64: true,
  headers: { "content-type": "application/json" },
});

// Limits are on content, not encoding: the largest item passes in any JSON encoding.
const largest = { name: "😀".repeat(200), description: "🦄".repeat(2_000) };

test("the test writes JSON as Python's json.dumps does", (t) => {
  t.is(pythonJsonDumps({ name: "é😀", d: "" }), '{"name": "\\u00e9\\ud83d\\ude00", "d": ""}');
  // 200 + 2,000 emoji as Python sends them: 26,431 bytes, against 8,828 as compact raw UTF-8.
  t.is(Buffer.byteLength(pythonJsonDumps(largest)), 26_431);
  t.is(Buffer.byteLength(JSON.stringify(largest)), 8_828);
});

for (const [encoding, body] of Object.entries(jsonEncodings(largest))) {
  test(`accepts the largest item as ${encoding} (${Buffer.byteLength(body)} bytes)`, async (t) => {
    const { response } = await send(h.handlers, "create-item", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    });
    t.is(response.statusCode, 201, response.body);
    const item = bodyOf<Item>(response);
    t.like(item, largest);
    t.deepEqual(await storedRow(h.db, h.tableName, item.id), item);
  });
}

test("decodes a base64-encoded body as UTF-8", async (t) => {
  const { response } = await send(h.handlers, "create-item", {
    method: "POST",
    body: Buffer.from('{"name":"café ☕","description":"🍰"}', "utf8"),
    base64: true,
    headers: { "content-type": "application/json" },
  });
  t.is(response.statusCode, 201, response.body);
  t.like(bodyOf(response), { name: "café ☕", description: "🍰" });
});
