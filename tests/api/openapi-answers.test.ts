/**
 * What the API really answers, through the local server, conforms to the OpenAPI document: one
 * request for (nearly) every documented status of every operation, each answer checked for a
 * documented status, its required headers and header values, and a body of the documented
 * content type and schema. schemathesis (.ci/steps/70-schemathesis.sh) does the same at scale.
 */
import { randomUUID } from "node:crypto";
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { type LocalApi, startLocalApi } from "../helpers/local-api.ts";
import { conformanceProblems } from "../helpers/openapi-validator.ts";

let api: LocalApi;
test.before(async () => {
  api = await startLocalApi();
});
test.after.always(async () => {
  await api?.close();
});

const json = { "content-type": "application/json" };
const body = (value: unknown) => JSON.stringify(value);

/** Sends a request and asserts its answer conforms to the operation `method path`. */
const conforms = test.macro({
  async exec(t, method: string, path: string, request: () => Promise<[string, RequestInit?]>) {
    const [target, init] = await request();
    const response = await fetch(`${api.url}${target}`, { method, ...init });
    const answer = {
      status: response.status,
      headers: response.headers,
      body: await response.text(),
    };
    // The title names the status this request is meant to get.
    t.is(String(answer.status), /\s(\d{3})(\s|$)/.exec(t.title)?.[1] ?? "", answer.body);
    t.deepEqual(conformanceProblems(method, path, answer), [], `${answer.status} ${answer.body}`);
  },
  title: (providedTitle = "", method: string, path: string) =>
    `${method} ${path} ${providedTitle} conforms to the document`,
});

async function createItem(): Promise<Item> {
  const response = await fetch(`${api.url}/`, {
    method: "POST",
    headers: json,
    body: body({ name: "documented", description: "d" }),
  });
  return (await response.json()) as Item;
}

const key = randomUUID();
const valid = { name: "documented", description: "answers" };
test.serial("201", conforms, "POST", "/", async () => [
  "/",
  { headers: { ...json, "idempotency-key": key }, body: body(valid) },
]);
test.serial("201 replayed", conforms, "POST", "/", async () => [
  "/",
  { headers: { ...json, "idempotency-key": key }, body: body(valid) },
]);
test.serial("422", conforms, "POST", "/", async () => [
  "/",
  { headers: { ...json, "idempotency-key": key }, body: body({ ...valid, name: "other" }) },
]);
test("400 (invalid fields)", conforms, "POST", "/", async () => [
  "/",
  { headers: json, body: body({ name: "", extra: 1 }) },
]);
test("400 (invalid key)", conforms, "POST", "/", async () => [
  "/",
  { headers: { ...json, "idempotency-key": "a b" }, body: body(valid) },
]);
test("413", conforms, "POST", "/", async () => [
  "/",
  { headers: json, body: body({ ...valid, description: "x".repeat(65_537) }) },
]);
test("415", conforms, "POST", "/", async () => [
  "/",
  { headers: { "content-type": "text/plain" }, body: "x" },
]);
test("200 with a Link", conforms, "GET", "/", async () => {
  await Promise.all([createItem(), createItem()]);
  return ["/?limit=1"];
});
test("400", conforms, "GET", "/", async () => ["/?limit=0&lk=nope"]);
test("200", conforms, "GET", "/{id}", async () => [`/${(await createItem()).id}`]);
test("304", conforms, "GET", "/{id}", async () => [
  `/${(await createItem()).id}`,
  { headers: { "if-none-match": '"1"' } },
]);
test("404", conforms, "GET", "/{id}", async () => ["/2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"]);
test("200", conforms, "PUT", "/{id}", async () => [
  `/${(await createItem()).id}`,
  { headers: { ...json, "if-match": '"1"' }, body: body(valid) },
]);
test("412", conforms, "PUT", "/{id}", async () => [
  `/${(await createItem()).id}`,
  { headers: { ...json, "if-match": '"7"' }, body: body(valid) },
]);
test("400", conforms, "PUT", "/{id}", async () => [
  `/${(await createItem()).id}`,
  { headers: json, body: body({ ...valid, id: "3MXggTvAHWiayjV7Uy3yV9Hw0SK" }) },
]);
// Round trip: the item as GET returned it, sent back with a change.
test("200 with the item sent back", conforms, "PUT", "/{id}", async () => {
  const item = await createItem();
  return [`/${item.id}`, { headers: json, body: body({ ...item, name: "sent back" }) }];
});
test("412 with a stale version in the body", conforms, "PUT", "/{id}", async () => {
  const item = await createItem();
  return [`/${item.id}`, { headers: json, body: body({ ...item, version: 2 }) }];
});
test("400 with a version If-Match contradicts", conforms, "PUT", "/{id}", async () => {
  const item = await createItem();
  return [`/${item.id}`, { headers: { ...json, "if-match": '"2"' }, body: body(item) }];
});
test("404", conforms, "PUT", "/{id}", async () => [
  "/not-an-id",
  { headers: json, body: body(valid) },
]);
test("204", conforms, "DELETE", "/{id}", async () => [`/${(await createItem()).id}`]);
test("412", conforms, "DELETE", "/{id}", async () => [
  `/${(await createItem()).id}`,
  { headers: { "if-match": '"2"' } },
]);
test("404", conforms, "DELETE", "/{id}", async () => ["/2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"]);
