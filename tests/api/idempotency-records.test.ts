/**
 * common/idempotency.ts on a real DynamoDB-compatible server (dynalite, or DynamoDB Local under
 * DYNAMODB_ENDPOINT), with work the test controls: what is stored, what a repeat gets while the
 * first is in flight or after it failed, and how long a key stays locked by a crashed request.
 */
import { createHash, randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import test from "ava";
import {
  ConflictError,
  ServiceUnavailableError,
  UnprocessableContentError,
} from "../../common/errors.ts";
import type { HttpResponse } from "../../common/http.ts";
import {
  IdempotentRequests,
  idempotencyWindowSeconds,
  type RequestKey,
} from "../../common/idempotency.ts";
import { scanTable, sleep } from "../helpers/api.ts";
import { startTestDatabase, type TestDatabase } from "../helpers/dynalite.ts";
import { createContext } from "../helpers/events.ts";
import { startFakeDynamoDb } from "../helpers/fake-dynamodb.ts";

let db: TestDatabase;
let tableName: string;
let requests: IdempotentRequests;
test.before(async () => {
  db = await startTestDatabase();
  tableName = await db.createIdempotencyTable();
  requests = new IdempotentRequests(clientFor(db.endpoint), tableName, "test");
});
test.after.always(async () => {
  await db?.stop();
});

function clientFor(endpoint: string): DynamoDBClient {
  const credentials = { accessKeyId: "test", secretAccessKey: "test" };
  return new DynamoDBClient({ endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
}

const answer = (n: number): HttpResponse => ({
  statusCode: 201,
  headers: { "content-type": "application/json", etag: '"1"', location: `/${n}` },
  body: JSON.stringify({ n }),
});

/** Work that finishes when the test says so, counting its runs. */
function gatedWork() {
  let open: (response: HttpResponse) => void = () => {};
  const gate = new Promise<HttpResponse>((resolve) => {
    open = resolve;
  });
  const work = {
    runs: 0,
    open,
    run: () => {
      work.runs += 1;
      return gate;
    },
  };
  return work;
}

/** A fresh key without an authorizer (`caller: null`): one anonymous caller. */
const key = (): RequestKey => ({ caller: null, key: `key-${randomUUID()}` });

/** Resolves once `started()` holds: the first request has claimed its key and is working. */
async function until(started: () => boolean): Promise<void> {
  while (!started()) await sleep(10);
}

/** The stored record whose answer is `answer(n)` (attribute order varies between servers). */
async function recordOf(n: number): Promise<Record<string, unknown> | undefined> {
  const rows = await scanTable(db, tableName);
  return rows.find((r) => (r.data as HttpResponse | undefined)?.headers?.location === `/${n}`);
}
const context = () => createContext(10_000);
const body = { name: "a", description: "b" };

test("runs the work once and replays its answer, marked, to a repeat", async (t) => {
  const k = key();
  let runs = 0;
  const work = async () => answer(++runs);
  const first = await requests.run(k, body, context(), work);
  const second = await requests.run(k, { description: "b", name: "a" }, context(), work);
  t.is(runs, 1);
  t.deepEqual(first, answer(1));
  t.deepEqual(second, {
    ...answer(1),
    headers: { ...answer(1).headers, "idempotent-replayed": "true" },
  });
});

test("keeps the record for 24 hours, completed, with the answer", async (t) => {
  const k = key();
  const before = Math.floor(Date.now() / 1000);
  await requests.run(k, body, context(), async () => answer(7));
  const row = await recordOf(7);
  t.deepEqual(row?.data, answer(7));
  t.is(row?.status, "COMPLETED");
  t.regex(String(row?.id), /^test#[A-Za-z0-9+/]{43}=$/, "the key is stored hashed (SHA-256)");
  t.false(String(row?.id).includes(k.key));
  const expiration = Number(row?.expiration);
  t.true(expiration >= before + idempotencyWindowSeconds - 1);
  t.true(expiration <= Math.ceil(Date.now() / 1000) + idempotencyWindowSeconds + 1);
});

test("answers 409 to a repeat while the first is in flight, then replays", async (t) => {
  const k = key();
  const work = gatedWork();
  const first = requests.run(k, body, context(), work.run);
  await until(() => work.runs === 1);
  await t.throwsAsync(requests.run(k, body, context(), work.run), { instanceOf: ConflictError });
  work.open(answer(1));
  t.deepEqual(await first, answer(1));
  t.is((await requests.run(k, body, context(), work.run)).headers?.["idempotent-replayed"], "true");
  t.is(work.runs, 1);
});

test("answers 422 to another body with the key, in flight or done", async (t) => {
  const k = key();
  const work = gatedWork();
  const first = requests.run(k, body, context(), work.run);
  await until(() => work.runs === 1);
  const other = { ...body, name: "c" };
  await t.throwsAsync(requests.run(k, other, context(), work.run), {
    instanceOf: UnprocessableContentError,
  });
  work.open(answer(1));
  await first;
  const error = await t.throwsAsync(requests.run(k, other, context(), work.run));
  t.true(error instanceof UnprocessableContentError);
  t.is((error as UnprocessableContentError).status, 422);
  t.is(work.runs, 1);
});

test("stores nothing when the work fails: the same key may be retried at once", async (t) => {
  const k = key();
  const failure = new ServiceUnavailableError(1);
  await t.throwsAsync(
    requests.run(k, body, context(), async () => Promise.reject(failure)),
    { is: failure },
  );
  t.deepEqual(await requests.run(k, body, context(), async () => answer(2)), answer(2));
});

test("a request that never finished locks its key only until its function would have timed out", async (t) => {
  const k = key();
  // The first request's function "crashes": its work never ends, with ten minutes on its clock.
  const remainingMs = 600_000;
  let started = false;
  const crashed = () => {
    started = true;
    return new Promise<HttpResponse>(() => {});
  };
  const before = Date.now();
  void requests.run(k, body, createContext(remainingMs), crashed);
  await until(() => started);
  const after = Date.now();
  const [lock] = (await scanTable(db, tableName)).filter(
    (row) => row.status === "INPROGRESS" && Number(row.in_progress_expiration) > before + 60_000,
  );
  const expiration = Number(lock?.in_progress_expiration);
  // The lock ends when the function would time out: its start plus its remaining time.
  t.true(expiration <= after + remainingMs, `${expiration - after} ms after the start`);
  t.true(expiration >= before + remainingMs - (after - before), `${expiration - before} ms`);
  await t.throwsAsync(
    requests.run(k, body, context(), async () => answer(3)),
    {
      instanceOf: ConflictError,
    },
  );
  // Its function's time is up: the key is free again.
  await db.client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { id: lock?.id },
      UpdateExpression: "SET in_progress_expiration = :past",
      ExpressionAttributeValues: { ":past": Date.now() - 1 },
    }),
  );
  t.deepEqual(await requests.run(k, body, context(), async () => answer(3)), answer(3));
});

test("a record past its 24 hours is overwritten, with or without TTL on the server", async (t) => {
  const k = key();
  await requests.run(k, body, context(), async () => answer(4));
  const row = await recordOf(4);
  t.truthy(row);
  await db.client.send(
    new UpdateCommand({
      TableName: tableName,
      Key: { id: row?.id },
      UpdateExpression: "SET #expiration = :past",
      ExpressionAttributeNames: { "#expiration": "expiration" },
      ExpressionAttributeValues: { ":past": Math.floor(Date.now() / 1000) - 1 },
    }),
  );
  const again = await requests.run(k, { ...body, name: "new" }, context(), async () => answer(5));
  t.deepEqual(again, answer(5));
});

test("throttling of the idempotency table answers 503, like any other table's", async (t) => {
  const fake = await startFakeDynamoDb("throttling");
  t.teardown(() => fake.stop());
  const throttled = new IdempotentRequests(clientFor(fake.endpoint), "any", "test");
  await t.throwsAsync(
    throttled.run(key(), body, context(), async () => answer(6)),
    {
      instanceOf: ServiceUnavailableError,
    },
  );
});

// Per caller (issue 15): with a JWT authorizer, a record belongs to the token's issuer and subject.
const alice = { issuer: "https://issuer.example", subject: "alice" };
const bob = { issuer: "https://issuer.example", subject: "bob" };

test("without an authorizer the record's id is the key's hash alone, as it always was", async (t) => {
  const k = key();
  await requests.run(k, body, context(), async () => answer(8));
  const hash = createHash("sha256").update(JSON.stringify(k.key)).digest("base64");
  t.is((await recordOf(8))?.id, `test#${hash}`);
});

test("the same key from two callers runs twice: neither replays the other's answer", async (t) => {
  const k = `key-${randomUUID()}`;
  let runs = 0;
  const work = async () => answer(100 + ++runs);
  const a = await requests.run({ caller: alice, key: k }, body, context(), work);
  const b = await requests.run({ caller: bob, key: k }, body, context(), work);
  t.is(runs, 2);
  t.deepEqual(a, answer(101));
  t.deepEqual(b, answer(102));
  // Each one's repeat replays its own.
  const again = await requests.run({ caller: bob, key: k }, body, context(), work);
  t.is(again.body, answer(102).body);
  t.is(again.headers?.["idempotent-replayed"], "true");
  t.is(runs, 2);
});

test("another caller's request in flight, or its other body, is no 409 and no 422", async (t) => {
  const k = `key-${randomUUID()}`;
  const work = gatedWork();
  const first = requests.run({ caller: alice, key: k }, body, context(), work.run);
  await until(() => work.runs === 1);
  const other = await requests.run(
    { caller: bob, key: k },
    { ...body, name: "other" },
    context(),
    async () => answer(201),
  );
  t.deepEqual(other, answer(201));
  work.open(answer(200));
  t.deepEqual(await first, answer(200));
});

test("a caller differs by issuer too, and no caller is not the caller with empty claims", async (t) => {
  const k = `key-${randomUUID()}`;
  let runs = 0;
  const work = async () => answer(300 + ++runs);
  await requests.run({ caller: alice, key: k }, body, context(), work);
  await requests.run(
    { caller: { ...alice, issuer: "https://other.example" }, key: k },
    body,
    context(),
    work,
  );
  await requests.run({ caller: null, key: k }, body, context(), work);
  await requests.run({ caller: { issuer: "", subject: "" }, key: k }, body, context(), work);
  t.is(runs, 4);
});
