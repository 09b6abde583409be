/**
 * Keyed creates happen once, through the local server (the shipped bundle, the gateway, a real
 * DynamoDB-compatible store): the write that records the Idempotency-Key answer fails once,
 * injected on the wire. The item was written and the client got 503; its retry answers with
 * that same item, and one item exists. The failed request lets go of its key at once; when even
 * that fails, the key is free at the in-progress expiry, and the retry then does the same.
 *
 * That expiry (the function's timeout having passed) is set on the record directly rather than
 * waited for: an injected clock, not a wall-clock margin.
 */
import { randomUUID } from "node:crypto";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import test, { type ExecutionContext } from "ava";
import type { Item } from "../../common/items-table.ts";
import { startTestDatabase, type TestDatabase } from "../helpers/dynalite.ts";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.ts";
import { type LocalApi, postKeyed, snapshotTable, startLocalApi } from "../helpers/local-api.ts";

let db: TestDatabase;
let proxy: FaultProxy;
let api: LocalApi;

test.before(async () => {
  db = await startTestDatabase();
  proxy = await startFaultProxy(db.endpoint);
  api = await startLocalApi({ endpoint: proxy.endpoint });
});
test.after.always(async () => {
  await api?.close();
  await proxy?.close();
  await db?.stop();
});

const post = (key: string, body: unknown) => postKeyed(api, key, body);

/** Sends the first request with the faults given, and checks what it left behind. */
async function failFirst(t: ExecutionContext, operations: string[], body: { description: string }) {
  const key = randomUUID();
  // Powertools records the answer with UpdateItem, the create's only one: reset it, once (the
  // idempotency client does not resend a write that may have been applied). DeleteItem, when
  // listed, is the failed request letting go of its key.
  proxy.inject("reset", { operations });
  const first = await post(key, body);
  proxy.inject("none");
  t.is(proxy.counts.injected, operations.length, `each of ${operations} failed once`);
  t.is(first.status, 503, await first.text());
  const written = await itemsDescribed(body.description);
  t.is(written.length, 1, "the item itself was written");
  return { key, written: written[0] as unknown as Item };
}

const itemsDescribed = async (description: string) =>
  (await snapshotTable(api.db, api.tableName)).filter((r) => r.description === description);

/** The retry answers with the item the failed request wrote, and the next one replays it. */
async function retryFinds(t: ExecutionContext, key: string, body: unknown, written: Item) {
  const retry = await post(key, body);
  t.is(retry.status, 201);
  t.is(retry.headers.get("idempotent-replayed"), null, "not a replay: the create ran again");
  const item = (await retry.json()) as Item;
  t.deepEqual(item, written, "the item of the first attempt, as stored");
  t.is(retry.headers.get("location"), `/${item.id}`);
  const again = await post(key, body);
  t.is(again.headers.get("idempotent-replayed"), "true");
  t.deepEqual(await again.json(), item);
}

test.serial(
  "the answer record fails once: the retry at once returns the item, one item exists",
  async (t) => {
    const body = { name: "once", description: `test ${randomUUID()}` };
    proxy.counts.injected = 0;
    const { key, written } = await failFirst(t, ["UpdateItem"], body);
    t.deepEqual(await snapshotTable(api.db, api.idempotencyTableName), [], "the key was let go");
    await retryFinds(t, key, body, written);
    const after = await itemsDescribed(body.description);
    t.log(`items after the fault and the retry: ${after.length}`);
    t.is(after.length, 1);
  },
);

test.serial(
  "letting go of the key fails too: 409 until the in-progress expiry, then the same item",
  async (t) => {
    const body = { name: "once more", description: `test ${randomUUID()}` };
    proxy.counts.injected = 0;
    const { key, written } = await failFirst(t, ["UpdateItem", "DeleteItem"], body);
    t.is((await post(key, body)).status, 409, "the key is still held");
    // The only record in progress (the first test's is completed).
    const records = (await snapshotTable(api.db, api.idempotencyTableName)).filter(
      (record) => record.status === "INPROGRESS",
    );
    t.is(records.length, 1);
    await api.db.send(
      new UpdateCommand({
        TableName: api.idempotencyTableName,
        Key: { id: records[0]?.id },
        UpdateExpression: "SET #expiry = :past",
        ExpressionAttributeNames: { "#expiry": "in_progress_expiration" },
        ExpressionAttributeValues: { ":past": Date.now() - 1 },
      }),
    );
    await retryFinds(t, key, body, written);
    const after = await itemsDescribed(body.description);
    t.log(`items after the faults and the retry: ${after.length}`);
    t.is(after.length, 1);
  },
);
