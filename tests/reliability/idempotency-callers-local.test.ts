/**
 * Idempotency-Key per caller end to end, as `npm start` serves it with a JWT issuer configured:
 * real tokens from a local issuer, checked by the local gateway's authorizer, whose claims reach
 * the shipped create bundle in AWS's shape. The same key from two subjects makes two items.
 */
import { randomUUID } from "node:crypto";
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { type LocalIssuer, startLocalIssuer } from "../../scripts/local/local-issuer.ts";
import { type LocalApi, postKeyed, snapshotTable, startLocalApi } from "../helpers/local-api.ts";

let issuer: LocalIssuer;
let api: LocalApi;
const audience = "items-api";

test.before(async () => {
  issuer = await startLocalIssuer();
  api = await startLocalApi({
    gateway: { jwt: { issuer: issuer.issuer, audience: [audience], routeScopes: {} } },
  });
});
test.after.always(async () => {
  await api?.close();
  await issuer?.close();
});

async function post(sub: string, key: string, body: unknown) {
  const token = await issuer.sign({ sub, audience });
  const response = await postKeyed(api, key, body, { authorization: `Bearer ${token}` });
  return {
    status: response.status,
    replayed: response.headers.get("idempotent-replayed") === "true",
    item: (await response.json()) as Item,
  };
}

test("the same key and body from alice and bob: two items, neither a replay, no 409 or 422", async (t) => {
  const key = randomUUID();
  const body = { name: "shared key", description: `test ${key}` };
  const [alice, bob] = await Promise.all([post("alice", key, body), post("bob", key, body)]);
  t.deepEqual([alice.status, alice.replayed], [201, false]);
  t.deepEqual([bob.status, bob.replayed], [201, false]);
  t.not(alice.item.id, bob.item.id);
  // Bob with another body under the same key: his own 422, nothing of Alice's.
  const other = await post("bob", key, { ...body, name: "other" });
  t.is(other.status, 422);
  const aliceAgain = await post("alice", key, body);
  t.deepEqual([aliceAgain.status, aliceAgain.replayed, aliceAgain.item], [201, true, alice.item]);
  const rows = (await snapshotTable(api.db, api.tableName)).filter(
    (row) => row.description === body.description,
  );
  t.log(`items for one key from two subjects: ${rows.length}`);
  t.deepEqual(rows.map((row) => row.id).sort(), [alice.item.id, bob.item.id].sort());
});
