/**
 * A load generator that talks to DynamoDB the way our functions do: a DocumentClient sending
 * GetCommand (of item `id`) or PutCommand (of new items) from `connections` concurrent loops. Run
 * as a child process by server.ts (so it never shares an event loop with the server it
 * measures), and kept for every round, so it warms up once, as the server's function instances
 * do:
 *
 *   node --import tsx scripts/bench/sdk-load.ts <endpoint> <table> <id> <connections> <warm-up seconds>
 *
 * It warms up on both operations, prints `ready`, then for each line of standard input such as
 * `put 4` runs that operation's loops that many seconds and prints one JSON line:
 * { requests, seconds, p50, p99 } (latencies in ms). It ends when standard input does.
 */
import { createInterface } from "node:readline";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import KSUID from "ksuid";
import { percentile } from "./stats.ts";

const [endpoint = "", tableName = "", id = "", connections = "10", warmupSeconds = "5"] =
  process.argv.slice(2);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDBENCHMARK", secretAccessKey: "bench-secret" },
  }),
);
const now = new Date().toISOString();

export type Operation = "get" | "put";

function call(operation: Operation): Promise<unknown> {
  if (operation === "get") {
    return client.send(new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }));
  }
  const item = {
    id: KSUID.randomSync().string,
    name: "Benchmark item",
    description: "Created under load.",
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  return client.send(
    new PutCommand({
      TableName: tableName,
      Item: item,
      ConditionExpression: "attribute_not_exists(#id)",
      ExpressionAttributeNames: { "#id": "id" },
    }),
  );
}

/** Runs the loops for `ms`, each call's operation picked by its number; returns their latencies. */
async function load(ms: number, operationOf: (call: number) => Operation): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: Number(connections) }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await call(operationOf(latencies.length));
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies;
}

// Warm up first, as each of the server's function instances does (server.ts): a fresh process
// runs its first seconds of SDK calls unoptimized.
await load(Number(warmupSeconds) * 1000, (n) => (n % 2 === 0 ? "get" : "put"));
console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  const [operation, seconds] = line.split(" ") as [Operation, string];
  const started = performance.now();
  const latencies = await load(Number(seconds) * 1000, () => operation);
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    JSON.stringify({
      requests: latencies.length,
      seconds: elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    }),
  );
}
client.destroy();
