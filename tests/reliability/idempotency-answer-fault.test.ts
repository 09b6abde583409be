/**
 * Keyed creates happen once, through the local server (the shipped bundle, the gateway, a real
 * DynamoDB-compatible store): the write that records the Idempotency-Key answer fails once,
 * injected on the wire. The item was written, the client got 503; its retry, once the
 * in-progress record has expired, answers with that same item, and one item exists.
 *
 * The expiry (the function's timeout having passed) is set on the record directly rather than
 * waited for: an injected clock, not a wall-clock margin.
 */
import { randomUUID } from "node:crypto";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { startTestDatabase, type TestDatabase } from "../helpers/dynalite.ts";
import { type FaultProxy, startFaultProxy } from "./helpers/fault-proxy.ts";
import { type LocalApi, snapshotTable, startLocalApi } from "./helpers/local-api.ts";

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

const post = (key: string, body: unknown) =>
  fetch(`${api.url}/`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key },
    body: JSON.stringify(body),
  });

test("a retry after the answer record failed to write returns the item the first attempt wrote", async (t) => {
  const key = randomUUID();
  const body = { name: "once", description: `test ${key}` };
  const itemsNow = async () =>
    (await snapshotTable(api.db, api.tableName)).filter((r) => r.description === body.description);

  // Powertools records the answer with UpdateItem, the create's only one: reset it, once (the
  // idempotency client does not resend a write that may have been applied).
  proxy.inject("reset", { operations: ["UpdateItem"] });
  const first = await post(key, body);
  proxy.inject("none");
  t.is(proxy.counts.injected, 1, "the answer record failed once");
  t.is(first.status, 503, await first.text());
  const written = await itemsNow();
  t.is(written.length, 1, "the item itself was written");

  // The key is still held by the in-progress record: a retry now is told to wait.
  t.is((await post(key, body)).status, 409);
  const records = await snapshotTable(api.db, api.idempotencyTableName);
  t.is(records.length, 1);
  t.is(records[0]?.status, "INPROGRESS");
  await api.db.send(
    new UpdateCommand({
      TableName: api.idempotencyTableName,
      Key: { id: records[0]?.id },
      UpdateExpression: "SET #expiry = :past",
      ExpressionAttributeNames: { "#expiry": "in_progress_expiration" },
      ExpressionAttributeValues: { ":past": Date.now() - 1 },
    }),
  );

  const retry = await post(key, body);
  t.is(retry.status, 201);
  t.is(retry.headers.get("idempotent-replayed"), null, "not a replay: the create ran again");
  const item = (await retry.json()) as Item;
  t.deepEqual(item, written[0] as unknown as Item, "the item of the first attempt, as stored");
  t.is(retry.headers.get("location"), `/${item.id}`);
  const after = await itemsNow();
  t.log(`items after the fault and the retry: ${after.length}`);
  t.is(after.length, 1);

  const again = await post(key, body);
  t.is(again.status, 201);
  t.is(again.headers.get("idempotent-replayed"), "true");
  t.deepEqual(await again.json(), item);
});
