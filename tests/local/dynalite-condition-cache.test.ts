/**
 * The local server's dynalite keeps condition parses (scripts/local/dynalite-condition-cache.ts,
 * installed by its store).
 * The same requests, sent to a dynalite with the cache (twice over, so the second pass answers
 * from it) and to one without (in a process of its own), must get the same answers: successes,
 * failed conditions, and every validation message.
 */
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import {
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import test from "ava";
import { createTableInputOf, itemsTable } from "../../common/tables.ts";
import { cachesConditionParses } from "../../scripts/local/dynalite-condition-cache.ts";
import { openStore } from "../../scripts/local/local-store.ts";
import { startDynaliteProcess } from "../helpers/dynalite-process.ts";

const S = (value: string) => ({ S: value });
const names = (...list: string[]) =>
  Object.fromEntries(list.map((name) => [`#${name}`, name])) as Record<string, string>;

/** Requests against table `table`, in order; each answer is compared, not asserted alone. */
function requests(table: string) {
  const item = { id: S("a"), name: S("first"), description: S("d"), extra: S("e") };
  const notThere = { ConditionExpression: "attribute_not_exists(#id)" };
  return [
    // A create, as the API sends it: stored once, then refused.
    new PutItemCommand({
      TableName: table,
      Item: item,
      ...notThere,
      ExpressionAttributeNames: names("id"),
    }),
    new PutItemCommand({
      TableName: table,
      Item: item,
      ...notThere,
      ExpressionAttributeNames: names("id"),
    }),
    // Names the expression does not use, names it does not define, syntax, reserved words.
    new PutItemCommand({
      TableName: table,
      Item: { ...item, id: S("b") },
      ...notThere,
      ExpressionAttributeNames: names("id", "name"),
    }),
    new PutItemCommand({
      TableName: table,
      Item: { ...item, id: S("b") },
      ConditionExpression: "attribute_not_exists(#nope)",
      ExpressionAttributeNames: names("id"),
    }),
    new PutItemCommand({
      TableName: table,
      Item: { ...item, id: S("b") },
      ConditionExpression: "attribute_not_exists(#id",
      ExpressionAttributeNames: names("id"),
    }),
    new PutItemCommand({
      TableName: table,
      Item: { ...item, id: S("b") },
      ConditionExpression: "attribute_not_exists(name)",
    }),
    new PutItemCommand({
      TableName: table,
      Item: { ...item, id: S("b") },
      ConditionExpression: "attribute_not_exists(id)",
    }),
    // The condition and the update share #extra; then only the condition uses it.
    new UpdateItemCommand({
      TableName: table,
      Key: { id: S("a") },
      UpdateExpression: "REMOVE #description, #extra",
      ConditionExpression: "attribute_exists(#id) AND attribute_exists(#extra)",
      ExpressionAttributeNames: names("id", "description", "extra"),
    }),
    new UpdateItemCommand({
      TableName: table,
      Key: { id: S("a") },
      UpdateExpression: "REMOVE #description",
      ConditionExpression: "attribute_exists(#id) AND attribute_exists(#extra)",
      ExpressionAttributeNames: names("id", "description", "extra"),
    }),
    // With values: never kept.
    new UpdateItemCommand({
      TableName: table,
      Key: { id: S("a") },
      UpdateExpression: "SET #name = :name",
      ConditionExpression: "#name = :old",
      ExpressionAttributeNames: names("name"),
      ExpressionAttributeValues: { ":name": S("second"), ":old": S("first") },
    }),
    new GetItemCommand({ TableName: table, Key: { id: S("a") }, ConsistentRead: true }),
    // A filter is a condition too.
    new ScanCommand({
      TableName: table,
      FilterExpression: "attribute_exists(#name)",
      ExpressionAttributeNames: names("name"),
    }),
    new ScanCommand({
      TableName: table,
      FilterExpression: "attribute_exists(#extra)",
      ExpressionAttributeNames: names("extra"),
    }),
    new DeleteItemCommand({
      TableName: table,
      Key: { id: S("a") },
      ConditionExpression: "attribute_exists(#id)",
      ExpressionAttributeNames: names("id"),
    }),
    new DeleteItemCommand({
      TableName: table,
      Key: { id: S("a") },
      ConditionExpression: "attribute_exists(#id)",
      ExpressionAttributeNames: names("id"),
    }),
  ];
}

/** Sends every request to a fresh table and returns each answer, or each error's name and message. */
async function answersOf(endpoint: string, table: string): Promise<unknown[]> {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  try {
    await client.send(
      new CreateTableCommand({ TableName: table, ...createTableInputOf(itemsTable) }),
    );
    const answers: unknown[] = [];
    for (const request of requests(table)) {
      try {
        const { $metadata: _, ...answer } = await client.send(request as PutItemCommand);
        answers.push(answer);
      } catch (error) {
        answers.push({ error: (error as Error).name, message: (error as Error).message });
      }
    }
    return answers;
  } finally {
    client.destroy();
  }
}

test("a dynalite that keeps condition parses answers as one that does not", async (t) => {
  const plain = await startDynaliteProcess();
  t.teardown(() => plain.stop());
  // The local server's store, which installs the cache.
  const cached = await openStore({
    tableName: "server-items",
    idempotencyTableName: "server-idempotency",
    inMemory: true,
    dataDir: tmpdir(),
  });
  t.teardown(() => cached.close());
  const cachedEndpoint = cached.endpoint ?? "";
  t.true(cachesConditionParses(createRequire(createRequire(import.meta.url).resolve("dynalite"))));

  const expected = await answersOf(plain.endpoint, "items");
  // Every kind of answer is there: successes, a failed condition, validation errors.
  const errors = expected.map((answer) => (answer as { error?: string }).error);
  t.true(errors.includes(undefined));
  t.true(errors.includes("ConditionalCheckFailedException"));
  t.true(errors.filter((name) => name === "ValidationException").length >= 4);

  t.deepEqual(await answersOf(cachedEndpoint, "items-first"), expected, "parsing");
  t.deepEqual(await answersOf(cachedEndpoint, "items-second"), expected, "from the cache");
});
