/**
 * DynamoDB misbehaving behind the API: throttling (injected on the wire by a proxy that answers
 * in DynamoDB's own protocol), a database that accepts requests and never answers, and one that
 * drops connections. Every route answers 503 problem+json with Retry-After (the function's own:
 * the gateway would wait 30 s), nothing is written, and the API serves normally as soon as the
 * fault is gone. Only the stall needs the functions' production timeouts (1 s): it runs on a
 * second API over the same table; the other faults answer at once, and a busy machine must not
 * turn a slow answer into a 503.
 */
import test from "ava";
import type { Item } from "../../common/items-table.ts";
import { assertUnavailable, createThroughApi } from "../helpers/api-requests.ts";
import { startTestDatabase, type TestDatabase } from "../helpers/dynalite.ts";
import { type Fault, type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.ts";
import { type LocalApi, snapshotTable, startLocalApi } from "../helpers/local-api.ts";
import { sendRequest } from "../helpers/raw-http.ts";
import { oneCasePerRoute } from "../helpers/route-cases.ts";

let db: TestDatabase;
let proxy: FaultProxy;
let api: LocalApi;
let stallApi: LocalApi;
let item: Item;

test.before(async () => {
  db = await startTestDatabase();
  proxy = await startFaultProxy(db.endpoint);
  api = await startLocalApi({ endpoint: proxy.endpoint });
  stallApi = await startLocalApi({
    endpoint: proxy.endpoint,
    tableName: api.tableName,
    dynamoDbTimeouts: "production",
  });
  item = await createThroughApi(api.url);
});

test.afterEach.always(() => proxy.inject("none"));

test.after.always(async () => {
  await stallApi?.close();
  await api?.close();
  await proxy?.close();
  await db?.stop();
});

const answersUnavailable = test.macro({
  async exec(t, fault: Fault) {
    const before = await snapshotTable(api.db, api.tableName);
    proxy.inject(fault);
    const url = fault === "stall" ? stallApi.url : api.url;
    const answers = await Promise.all(
      oneCasePerRoute(item.id).map(async ({ route, request }) => {
        return [route, await sendRequest(url, request)] as const;
      }),
    );
    proxy.inject("none");
    for (const [route, response] of answers) assertUnavailable(t, route, response);
    t.log(answers.map(([route, r]) => `${route} ${r.status} in ${Math.round(r.ms)} ms`).join("; "));
    t.deepEqual(await snapshotTable(api.db, api.tableName), before, "nothing was written");
    const after = await sendRequest(api.url, { method: "GET", target: `/${item.id}` });
    t.is(after.status, 200, "serves normally once the fault is gone");
  },
  title: (_ = "", fault: Fault) =>
    `answers 503 with Retry-After on every route, writing nothing, under fault "${fault}"`,
});

test.serial(answersUnavailable, "throttling");
test.serial(answersUnavailable, "provisioned-throughput");
test.serial(answersUnavailable, "stall");
test.serial(answersUnavailable, "reset");

test.serial(
  "rides out intermittent throttling: with every other call throttled, every request succeeds",
  async (t) => {
    proxy.inject("throttling", { every: 2 });
    const answers = [];
    for (let i = 0; i < 2; i++) {
      for (const { route, request } of oneCasePerRoute(item.id).filter(
        (c) => c.name !== "delete-item",
      )) {
        answers.push([route, (await sendRequest(api.url, request)).status] as const);
      }
    }
    t.true(proxy.counts.injected > 0);
    t.deepEqual(
      answers.filter(([, status]) => status >= 300),
      [],
      "the SDK's bounded retry absorbs an isolated throttle",
    );
  },
);

// A write lands, but DynamoDB's answer never comes back (the connection drops): the SDK sends the
// same conditional write again, whose condition then fails. Only the first matching call loses
// its answer.
const lostAnswer = { every: 1_000 } as const;
// Updates and deletes are resent only when DynamoDB provably did not apply them (common/dynamodb.ts),
// so a lost answer is a 503 for the client to resolve, never a second application.

test.serial("answers 201, not 500, when a create landed but its answer was lost", async (t) => {
  const lost = proxy.counts.injected;
  proxy.inject("lose-answer", { ...lostAnswer, operations: ["PutItem"] });
  const response = await sendRequest(api.url, {
    method: "POST",
    target: "/",
    headers: [["Content-Type", "application/json"]],
    body: JSON.stringify({ name: "late answer", description: "x" }),
  });
  t.is(response.status, 201, response.body.toString());
  t.is(proxy.counts.injected - lost, 1, "the first PutItem's answer was lost");
  const created = JSON.parse(response.body.toString()) as Item;
  const stored = (await snapshotTable(api.db, api.tableName)).filter(
    (row) => row.name === "late answer",
  );
  t.deepEqual(stored, [created], "stored once, as answered");
});

test.serial(
  "answers 200 or 503, never 412, when an If-Match update landed but its answer was lost",
  async (t) => {
    const target = await createThroughApi(api.url, "if-match target");
    proxy.inject("lose-answer", { ...lostAnswer, operations: ["UpdateItem"] });
    const response = await sendRequest(api.url, {
      method: "PUT",
      target: `/${target.id}`,
      headers: [
        ["Content-Type", "application/json"],
        ["If-Match", '"1"'],
      ],
      body: JSON.stringify({ name: "updated", description: "x" }),
    });
    t.true(
      [200, 503].includes(response.status),
      `${response.status} for an update that was applied`,
    );
  },
);

test.serial("bumps the version by exactly one when an update's answer was lost", async (t) => {
  const target = await createThroughApi(api.url, "version target");
  proxy.inject("lose-answer", { ...lostAnswer, operations: ["UpdateItem"] });
  await sendRequest(api.url, {
    method: "PUT",
    target: `/${target.id}`,
    headers: [["Content-Type", "application/json"]],
    body: JSON.stringify({ name: "updated once", description: "x" }),
  });
  const [stored] = (await snapshotTable(api.db, api.tableName)).filter(
    (row) => row.id === target.id,
  );
  t.is(stored?.version, 2, "one update, one version");
});

test.serial(
  "answers 204 or 503, never 404, when a delete landed but its answer was lost",
  async (t) => {
    const target = await createThroughApi(api.url, "delete target");
    proxy.inject("lose-answer", { ...lostAnswer, operations: ["DeleteItem"] });
    const response = await sendRequest(api.url, { method: "DELETE", target: `/${target.id}` });
    t.true(
      [204, 503].includes(response.status),
      `${response.status} for a delete that was applied`,
    );
  },
);
