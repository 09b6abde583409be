/**
 * `Idempotency-Key` per caller, and keyed creates that happen once, through the create handler
 * on a real DynamoDB-compatible server. Events carry a JWT authorizer's claims in AWS's shape
 * (payload 2.0: `requestContext.authorizer.jwt.claims`, every claim a string).
 */
import { randomUUID } from "node:crypto";
import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import test from "ava";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { Item } from "../../common/items-table.ts";
import { assertProblem, scanTable } from "../helpers/api.ts";
import { createContext, createEvent } from "../helpers/events.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

const issuer = "https://issuer.example.com/";

/** A JWT authorizer's context for a subject, as API Gateway puts it in the event. */
function authorizerOf(subject: string, iss = issuer) {
  return {
    jwt: {
      claims: {
        aud: "items-api",
        exp: "1893456000",
        iat: "1767225600",
        iss,
        scope: "items:write",
        sub: subject,
      },
      scopes: ["items:write"],
    },
  };
}

interface Post {
  readonly key: string;
  readonly json: { name: string; description: string };
  /** The subject of the caller's token; none: no authorizer. */
  readonly subject?: string;
  readonly iss?: string;
}

async function post({ key, json, subject, iss }: Post) {
  const event = createEvent({ method: "POST", headers: { "idempotency-key": key }, json });
  const withCaller: APIGatewayProxyEventV2 =
    subject === undefined
      ? event
      : ({
          ...event,
          requestContext: { ...event.requestContext, authorizer: authorizerOf(subject, iss) },
        } as APIGatewayProxyEventV2);
  const response = await h.handlers["create-item"](withCaller, createContext());
  return { event: withCaller, response };
}

const itemsDescribed = async (description: string) =>
  (await scanTable(h.db, h.tableName)).filter((row) => row.description === description);
const unique = () => ({ name: "milk", description: `test ${randomUUID()}` });
const replayed = (exchange: Awaited<ReturnType<typeof post>>) =>
  exchange.response.headers?.["idempotent-replayed"] === "true";

test("the same key and body from two subjects create two items, neither a replay", async (t) => {
  const key = randomUUID();
  const json = unique();
  const alice = await post({ key, json, subject: "alice" });
  const bob = await post({ key, json, subject: "bob" });
  t.is(alice.response.statusCode, 201, alice.response.body);
  t.is(bob.response.statusCode, 201, bob.response.body);
  t.false(replayed(alice));
  t.false(replayed(bob));
  const [a, b] = [bodyOf<Item>(alice.response), bodyOf<Item>(bob.response)];
  t.not(a.id, b.id);
  t.deepEqual(
    (await itemsDescribed(json.description)).map((row) => row.id).sort(),
    [a.id, b.id].sort(),
  );
  // Each one's repeat is a replay of its own item.
  const aliceAgain = await post({ key, json, subject: "alice" });
  const bobAgain = await post({ key, json, subject: "bob" });
  t.true(replayed(aliceAgain));
  t.true(replayed(bobAgain));
  t.is(aliceAgain.response.body, alice.response.body);
  t.is(bobAgain.response.body, bob.response.body);
  t.is((await itemsDescribed(json.description)).length, 2);
});

test("another subject's other body with the same key is no 422: it creates its own", async (t) => {
  const key = randomUUID();
  const [first, second] = [unique(), unique()];
  const alice = await post({ key, json: first, subject: "alice" });
  const bob = await post({ key, json: second, subject: "bob" });
  t.is(alice.response.statusCode, 201);
  t.is(bob.response.statusCode, 201, bob.response.body);
  t.false(replayed(bob));
  t.is((await itemsDescribed(second.description)).length, 1);
  // The same subject with another body still gets its own 422.
  assertProblem(t, await post({ key, json: second, subject: "alice" }), 422);
});

test("two subjects sending one key at the same moment both create, no 409", async (t) => {
  for (let round = 0; round < 5; round++) {
    const key = randomUUID();
    const json = unique();
    const answers = await Promise.all([
      post({ key, json, subject: "alice" }),
      post({ key, json, subject: "bob" }),
    ]);
    t.deepEqual(
      answers.map((a) => [a.response.statusCode, replayed(a)]),
      [
        [201, false],
        [201, false],
      ],
    );
    t.is((await itemsDescribed(json.description)).length, 2);
  }
});

test("the same subject at another issuer is another caller", async (t) => {
  const key = randomUUID();
  const json = unique();
  await post({ key, json, subject: "alice" });
  const elsewhere = await post({ key, json, subject: "alice", iss: "https://other.example.com/" });
  t.is(elsewhere.response.statusCode, 201);
  t.false(replayed(elsewhere));
  t.is((await itemsDescribed(json.description)).length, 2);
});

test("without an authorizer a key is global: a second client's same request is a replay", async (t) => {
  const key = randomUUID();
  const json = unique();
  const first = await post({ key, json });
  const second = await post({ key, json });
  t.true(replayed(second));
  t.is(second.response.body, first.response.body);
  assertProblem(t, await post({ key, json: unique() }), 422);
  t.is((await itemsDescribed(json.description)).length, 1);
});

/** The idempotency record of a keyed create, found by the answer it stores. */
async function recordAnswering(id: string) {
  const rows = await scanTable(h.db, h.idempotencyTableName);
  return rows.find((row) => String((row.data as { body?: string })?.body).includes(id));
}

test("a retry after the answer was lost returns the same item, once", async (t) => {
  const key = randomUUID();
  const json = unique();
  const first = await post({ key, json, subject: "alice" });
  const item = bodyOf<Item>(first.response);
  // As if storing the answer had failed and the in-progress record then expired: no record.
  const record = await recordAnswering(item.id);
  t.truthy(record);
  await h.db.client.send(
    new DeleteCommand({ TableName: h.idempotencyTableName, Key: { id: record?.id } }),
  );
  const retry = await post({ key, json, subject: "alice" });
  t.is(retry.response.statusCode, 201, retry.response.body);
  t.deepEqual(bodyOf<Item>(retry.response), item, "the very item, createdAt and all");
  t.is(retry.response.headers?.location, `/${item.id}`);
  t.deepEqual(await itemsDescribed(json.description), [item]);
  // And its answer is recorded now: the next repeat is a replay.
  t.true(replayed(await post({ key, json, subject: "alice" })));
});

test("that retry answers 409 when the item has changed since, and creates nothing", async (t) => {
  const key = randomUUID();
  const json = unique();
  const item = bodyOf<Item>((await post({ key, json })).response);
  const record = await recordAnswering(item.id);
  await h.db.client.send(
    new DeleteCommand({ TableName: h.idempotencyTableName, Key: { id: record?.id } }),
  );
  await h.db.client.send(
    new UpdateCommand({
      TableName: h.tableName,
      Key: { id: item.id },
      UpdateExpression: "SET #name = :name, #version = :two",
      ExpressionAttributeNames: { "#name": "name", "#version": "version" },
      ExpressionAttributeValues: { ":name": "changed", ":two": 2 },
    }),
  );
  const retry = await post({ key, json });
  const problem = assertProblem(t, retry, 409, [h.tableName]);
  t.regex(String(problem.detail), /changed/);
  t.is((await itemsDescribed(json.description)).length, 1);
  t.is(
    (await scanTable(h.db, h.idempotencyTableName)).some((r) => r.id === record?.id),
    false,
  );
});
