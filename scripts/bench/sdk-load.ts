/**
 * A load generator that talks to DynamoDB the way our functions do: a DocumentClient sending
 * GetCommand or PutCommand from `connections` concurrent loops for `seconds`. Run as a child
 * process by server.ts (so it never shares an event loop with the server it measures):
 *
 *   node --import tsx scripts/bench/sdk-load.ts <endpoint> <table> <get|put> <id> <connections> <seconds> <warm-up seconds>
 *
 * Prints one JSON line: { requests, seconds, p50, p99 } (latencies in ms), measured after the
 * warm-up (see `warmupSeconds` in server.ts).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import KSUID from "ksuid";
import { percentile } from "./stats.ts";

const [
  endpoint = "",
  tableName = "",
  operation = "get",
  id = "",
  connections = "10",
  seconds = "3",
  warmupSeconds = "5",
] = process.argv.slice(2);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDBENCHMARK", secretAccessKey: "bench-secret" },
  }),
);
const now = new Date().toISOString();

function call(): Promise<unknown> {
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

/** Runs the loops for `ms`; returns each call's latency. */
async function load(ms: number): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + ms;
  await Promise.all(
    Array.from({ length: Number(connections) }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await call();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies;
}

// Warm up first, as each of the server's function instances does (server.ts): a fresh process
// runs its first seconds of SDK calls unoptimized.
await load(Number(warmupSeconds) * 1000);
const started = performance.now();
const latencies = await load(Number(seconds) * 1000);
const elapsed = (performance.now() - started) / 1000;
client.destroy();
console.log(
  JSON.stringify({
    requests: latencies.length,
    seconds: elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  }),
);
