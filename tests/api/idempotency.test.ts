/**
 * `POST /` with `Idempotency-Key` (API.md), through the create handler on a real
 * DynamoDB-compatible server: a repeat replays the first answer and creates nothing, another body
 * is 422, an invalid key is 400 before anything happens, and a create without the header never
 * touches the idempotency table.
 */
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { assertProblem, type Exchange, fieldErrorsOf, scanTable } from "../helpers/api.ts";
import { createContext, createEvent, type EventOptions } from "../helpers/events.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

/** Sends `POST /` to the create handler with a Lambda context, as Lambda calls it. */
async function post(options: Omit<EventOptions, "method">): Promise<Exchange> {
  const event = createEvent({ method: "POST", ...options });
  return { event, response: await h.handlers["create-item"](event, createContext()) };
}

let keys = 0;
const newKey = () => `test-key-${Date.now()}-${++keys}`;
const input = { name: "milk", description: "two litres" };
// Tests run concurrently on one table: each tells its own items by a description of its own.
const uniqueInput = () => ({ name: "milk", description: `test ${newKey()}` });
const itemsDescribed = async (description: string) =>
  (await scanTable(h.db, h.tableName)).filter((row) => row.description === description);

// Serial tests run before the others, so the idempotency table changes only by their doing.
test.serial("a create without Idempotency-Key never touches the idempotency table", async (t) => {
  for (let i = 0; i < 3; i++) t.is((await post({ json: input })).response.statusCode, 201);
  t.deepEqual(await scanTable(h.db, h.idempotencyTableName), []);
});

test("a repeat answers exactly as the first, marked as a replay, and creates nothing", async (t) => {
  const headers = { "idempotency-key": newKey() };
  const json = uniqueInput();
  const first = await post({ headers, json });
  const repeat = await post({ headers, json });
  t.is(first.response.statusCode, 201, first.response.body);
  t.is(repeat.response.statusCode, 201);
  t.is(repeat.response.body, first.response.body);
  const item = bodyOf<Item>(first.response);
  t.like(repeat.response.headers, {
    "content-type": "application/json",
    location: `/${item.id}`,
    etag: '"1"',
    "idempotent-replayed": "true",
    "x-request-id": repeat.event.requestContext.requestId,
  });
  t.is(first.response.headers?.["idempotent-replayed"], undefined);
  t.deepEqual(await itemsDescribed(json.description), [item]);
});

const sameBody = test.macro({
  async exec(t, repeat: Omit<EventOptions, "method">) {
    const headers = { "idempotency-key": newKey() };
    const first = await post({ headers, json: { name: "x y", description: "é 😀" } });
    const again = await post({ ...repeat, headers: { ...repeat.headers, ...headers } });
    t.is(again.response.statusCode, 201, again.response.body);
    t.is(again.response.headers?.["idempotent-replayed"], "true");
    t.is(again.response.body, first.response.body);
  },
  title: (providedTitle = "") => `the same JSON body ${providedTitle} is a repeat`,
});
const jsonType = { "content-type": "application/json" };
test("with its fields in another order", sameBody, { json: { description: "é 😀", name: "x y" } });
test("with other white space between tokens", sameBody, {
  headers: jsonType,
  body: '{ "name" : "x y",\n  "description" : "é 😀" }',
});
test("written with \\u escapes", sameBody, {
  headers: jsonType,
  body: '{"name":"x\\u0020y","description":"\\u00e9 \\ud83d\\ude00"}',
});
test("base64-encoded by API Gateway", sameBody, {
  headers: jsonType,
  body: JSON.stringify({ name: "x y", description: "é 😀" }),
  base64: true,
});

const otherBody = test.macro({
  async exec(t, change: { name?: string; description?: string }) {
    const headers = { "idempotency-key": newKey() };
    const json = uniqueInput();
    await post({ headers, json });
    const exchange = await post({ headers, json: { ...json, ...change } });
    const problem = assertProblem(t, exchange, 422);
    t.is(problem.title, "Unprocessable Content");
    t.regex(String(problem.detail), /different request body/);
    t.is((await itemsDescribed(json.description)).length, 1);
    if (change.description) t.is((await itemsDescribed(change.description)).length, 0);
  },
  title: (providedTitle = "") =>
    `the same key with ${providedTitle} answers 422 and creates nothing`,
});
test("another name", otherBody, { name: "honey" });
test("another description", otherBody, { description: `other ${newKey()}` });
test("a name that trims to the same (the body differs)", otherBody, { name: " milk " });

test("different keys with the same body create different items", async (t) => {
  const a = await post({ headers: { "idempotency-key": newKey() }, json: input });
  const b = await post({ headers: { "idempotency-key": newKey() }, json: input });
  t.not(bodyOf<Item>(a.response).id, bodyOf<Item>(b.response).id);
});

test("keys are compared exactly: case matters", async (t) => {
  const key = newKey();
  const lower = await post({ headers: { "idempotency-key": key }, json: input });
  const upper = await post({ headers: { "idempotency-key": key.toUpperCase() }, json: input });
  t.not(bodyOf<Item>(lower.response).id, bodyOf<Item>(upper.response).id);
});

test("a refused request stores nothing: the client fixes the body and retries with the key", async (t) => {
  const headers = { "idempotency-key": newKey() };
  const refused = await post({ headers, json: { name: "", description: "x" } });
  assertProblem(t, refused, 400);
  const fixed = await post({ headers, json: input });
  t.is(fixed.response.statusCode, 201);
  t.is(fixed.response.headers?.["idempotent-replayed"], undefined);
});

const acceptsKey = test.macro({
  async exec(t, key: string) {
    const headers = { "idempotency-key": key };
    const first = await post({ headers, json: { ...input, name: `key ${key.length}` } });
    t.is(first.response.statusCode, 201, first.response.body);
    const again = await post({ headers, json: { ...input, name: `key ${key.length}` } });
    t.is(again.response.headers?.["idempotent-replayed"], "true");
  },
  title: (providedTitle = "") => `accepts a key of ${providedTitle}`,
});
test("one character", acceptsKey, "!");
test(
  "255 characters, every visible ASCII one",
  acceptsKey,
  (() => {
    const visible = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i)).join("");
    return visible.repeat(3).slice(0, 255);
  })(),
);
test("a UUID", acceptsKey, "8e0f6a9e-3c1d-4f7b-9a51-2b6f0c1d7e42");

const refusesKey = test.macro({
  async exec(t, key: string, options?: Omit<EventOptions, "method" | "headers">) {
    const json = uniqueInput();
    const records = (await scanTable(h.db, h.idempotencyTableName)).length;
    const exchange = await post({ json, ...options, headers: { "idempotency-key": key } });
    const problem = assertProblem(t, exchange, 400);
    t.is(
      fieldErrorsOf(problem).get("Idempotency-Key"),
      "must be 1 to 255 visible ASCII characters",
    );
    t.deepEqual(await itemsDescribed(json.description), []);
    t.is((await scanTable(h.db, h.idempotencyTableName)).length, records);
  },
  title: (providedTitle = "") => `answers 400 to a key ${providedTitle}, before anything else`,
});
test.serial("that is empty", refusesKey, "");
test.serial("of 256 characters", refusesKey, "k".repeat(256));
test.serial("with a space", refusesKey, "two words");
test.serial("with a tab", refusesKey, "a\tb");
test.serial("with a DEL", refusesKey, "a\u007fb");
test.serial("with a non-ASCII letter", refusesKey, "clé");
test.serial("with an emoji", refusesKey, "key-😀");
test.serial("on a body that is not JSON (the key is checked first)", refusesKey, "", {
  headers: { "content-type": "text/plain" },
  body: "x",
});

test("ten concurrent requests with one key create one item; each answer is it, or 409", async (t) => {
  const headers = { "idempotency-key": newKey() };
  const json = uniqueInput();
  const answers = await Promise.all(Array.from({ length: 10 }, () => post({ headers, json })));
  const created = answers.filter((a) => a.response.statusCode === 201);
  const conflicts = answers.filter((a) => a.response.statusCode === 409);
  t.is(created.length + conflicts.length, 10, answers.map((a) => a.response.statusCode).join());
  t.true(created.length >= 1);
  t.is(created.filter((a) => a.response.headers?.["idempotent-replayed"] !== "true").length, 1);
  t.is(new Set(created.map((a) => a.response.body)).size, 1);
  for (const conflict of conflicts) {
    t.regex(String(assertProblem(t, conflict, 409).detail), /still in progress/);
  }
  t.deepEqual(
    (await itemsDescribed(json.description)).map((row) => row.id),
    [bodyOf<Item>(created[0]?.response ?? {}).id],
  );
});
