/**
 * Idempotent create end to end, as `npm start` serves it: the shipped bundle in Lambda-like
 * worker instances behind the gateway, over the embedded dynalite, or DynamoDB Local under
 * DYNAMODB_ENDPOINT (CI). The local server creates the idempotency table itself.
 */
import { randomUUID } from "node:crypto";
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { type LocalApi, postKeyed, snapshotTable, startLocalApi } from "../helpers/local-api.ts";

let api: LocalApi;
test.before(async () => {
  api = await startLocalApi({ maxInstancesPerFunction: 10 });
});
test.after.always(async () => {
  await api?.close();
});

const post = (key: string, body: unknown) => postKeyed(api, key, body);
const itemsDescribed = async (description: string) =>
  (await snapshotTable(api.db, api.tableName)).filter((row) => row.description === description);

// Serial tests run first: the table is still empty.
test.serial("the server creates the idempotency table beside the items table", async (t) => {
  t.is(api.idempotencyTableName, `${api.tableName}-idempotency`);
  t.deepEqual(await snapshotTable(api.db, api.idempotencyTableName), []);
});

test("a repeat over HTTP answers as the first, with its own request id, and creates nothing", async (t) => {
  const key = randomUUID();
  const body = { name: "over http", description: `test ${key}` };
  const first = await post(key, body);
  const second = await post(key, body);
  t.is(first.status, 201);
  t.is(second.status, 201);
  const [a, b] = [await first.text(), await second.text()];
  t.is(b, a);
  for (const header of ["content-type", "etag", "location"]) {
    t.is(second.headers.get(header), first.headers.get(header), header);
  }
  t.is(second.headers.get("idempotent-replayed"), "true");
  t.is(first.headers.get("idempotent-replayed"), null);
  t.not(second.headers.get("x-request-id"), first.headers.get("x-request-id"));
  t.is(second.headers.get("x-request-id"), second.headers.get("apigw-requestid"));
  t.is((await itemsDescribed(body.description)).length, 1);
  t.is((await post(key, { ...body, name: "changed" })).status, 422);
});

test("ten concurrent requests with one key produce one item; each gets it or 409", async (t) => {
  const key = randomUUID();
  const body = { name: "ten at once", description: `test ${key}` };
  const answers = await Promise.all(
    Array.from({ length: 10 }, async () => {
      const response = await post(key, body);
      return {
        status: response.status,
        replayed: response.headers.get("idempotent-replayed"),
        body: await response.text(),
      };
    }),
  );
  const statuses = answers.map((a) => a.status);
  t.log(`statuses: ${statuses.join(" ")}`);
  t.true(
    statuses.every((status) => status === 201 || status === 409),
    statuses.join(),
  );
  const created = answers.filter((a) => a.status === 201);
  t.is(created.filter((a) => a.replayed === null).length, 1, "exactly one request created");
  t.is(new Set(created.map((a) => a.body)).size, 1);
  const stored = await itemsDescribed(body.description);
  t.deepEqual(
    stored.map((row) => row.id),
    [(JSON.parse(created[0]?.body ?? "{}") as Item).id],
  );
  // Once the first is done, every repeat is a replay.
  const after = await post(key, body);
  t.is(after.status, 201);
  t.is(after.headers.get("idempotent-replayed"), "true");
});

test("an invalid key answers 400 problem+json and stores nothing anywhere", async (t) => {
  const description = `test ${randomUUID()}`;
  const response = await post("not a valid key", { name: "x", description });
  t.is(response.status, 400);
  t.is(response.headers.get("content-type"), "application/problem+json");
  t.is((await itemsDescribed(description)).length, 0);
});
