/**
 * Warm in-process invocation: each shipped bundle's handler, called with realistic events
 * against in-memory dynalite, next to the bare DocumentClient call that the handler makes on
 * the same data. The bare calls go through a fresh copy of the SDK per handler (the bare-sdk
 * bundle, built like the reference: what a typical project ships), so both sides start cold and
 * warm up alike. Handler and bare calls alternate in blocks, so noise hits both alike; the ratio
 * of the medians is the handler's overhead (validation, mapping, response shaping, the log line).
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type * as LibDynamoDb from "@aws-sdk/lib-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import KSUID from "ksuid";
import { bundlePathOf } from "../build/build.ts";
import type { BenchDatabase } from "./database.ts";
import { eventOf } from "./events.ts";
import { lambdaEnvironment } from "./lambda-environment.ts";
import { median, percentile } from "./stats.ts";

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Timing {
  readonly medianMs: number;
  readonly p99Ms: number;
}

export interface WarmFigure {
  readonly name: string;
  readonly handler: Timing;
  readonly bare: Timing;
  /** Median handler time over median bare call time. */
  readonly ratio: number;
}

/** The bare-sdk bundle: a DocumentClient and the commands our handlers send. */
type BareSdk = Pick<
  typeof LibDynamoDb,
  "DeleteCommand" | "GetCommand" | "PutCommand" | "ScanCommand" | "UpdateCommand"
> & { readonly client: LibDynamoDb.DynamoDBDocumentClient };

/** One handler's workload: the event for call `i`, its expected status, the bare call. */
interface Workload {
  readonly name: string;
  readonly status: number;
  event(i: number): APIGatewayProxyEventV2;
  bare(sdk: BareSdk, i: number): Promise<unknown>;
}

const blockSize = 20;

const input = { name: "Benchmark item", description: "An item of typical size, ".repeat(4) };

function storedItem(id: string) {
  const now = new Date().toISOString();
  return { id, ...input, createdAt: now, updatedAt: now, version: 1 };
}

function workloadsOf(tableName: string, seeded: readonly string[], doomed: readonly string[]) {
  const seededId = (i: number) => seeded[i % seeded.length] ?? "";
  const doomedId = (i: number, half: 0 | 1) => doomed[2 * i + half] ?? "";
  const condition = { "#id": "id" };
  const workloads: Workload[] = [
    {
      name: "create-item",
      status: 201,
      event: () => eventOf({ method: "POST", json: input }),
      bare: ({ client, PutCommand }) =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: storedItem(KSUID.randomSync().string),
            ConditionExpression: "attribute_not_exists(#id)",
            ExpressionAttributeNames: condition,
          }),
        ),
    },
    {
      name: "list-items",
      status: 200,
      event: () => eventOf({ method: "GET", query: { limit: "20" } }),
      bare: ({ client, ScanCommand }) =>
        client.send(new ScanCommand({ TableName: tableName, Limit: 21, ConsistentRead: true })),
    },
    {
      name: "get-item",
      status: 200,
      event: (i) => eventOf({ method: "GET", id: seededId(i) }),
      bare: ({ client, GetCommand }, i) =>
        client.send(
          new GetCommand({ TableName: tableName, Key: { id: seededId(i) }, ConsistentRead: true }),
        ),
    },
    {
      name: "update-item",
      status: 200,
      event: (i) => eventOf({ method: "PUT", id: seededId(i), json: input }),
      bare: ({ client, UpdateCommand }, i) =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { id: seededId(i) },
            UpdateExpression:
              "SET #name = :name, #description = :description, #updatedAt = :now, #version = #version + :one",
            ConditionExpression: "attribute_exists(#id)",
            ExpressionAttributeNames: {
              ...condition,
              "#name": "name",
              "#description": "description",
              "#updatedAt": "updatedAt",
              "#version": "version",
            },
            ExpressionAttributeValues: {
              ":name": input.name,
              ":description": input.description,
              ":now": new Date().toISOString(),
              ":one": 1,
            },
            ReturnValues: "ALL_NEW",
          }),
        ),
    },
    {
      name: "delete-item",
      status: 204,
      event: (i) => eventOf({ method: "DELETE", id: doomedId(i, 0) }),
      bare: ({ client, DeleteCommand }, i) =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: { id: doomedId(i, 1) },
            ConditionExpression: "attribute_exists(#id)",
            ExpressionAttributeNames: condition,
          }),
        ),
    },
  ];
  return workloads;
}

/** Sends the handlers' log lines to /dev/null while `body` runs: same syscalls, no flood. */
async function withStdoutDiscarded<T>(body: () => Promise<T>): Promise<T> {
  const devNull = openSync("/dev/null", "w");
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    if (typeof chunk === "string") writeSync(devNull, chunk);
    else writeSync(devNull, chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return await body();
  } finally {
    process.stdout.write = write;
    closeSync(devNull);
  }
}

async function seedItems(db: BenchDatabase, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => KSUID.randomSync().string);
  for (const id of ids) {
    await db.bareClient.send(new PutCommand({ TableName: db.tableName, Item: storedItem(id) }));
  }
  return ids;
}

/** Imports the shipped bundles with Lambda's environment pointed at `db`, and times them. */
export async function measureWarm(
  db: BenchDatabase,
  bareSdkPath: string,
  iterations: number,
  warmup: number,
  bundleOf: (functionName: string) => string = bundlePathOf,
): Promise<WarmFigure[]> {
  Object.assign(process.env, lambdaEnvironment(), { AWS_ENDPOINT_URL_DYNAMODB: db.endpoint });
  const total = iterations + warmup;
  const seeded = await seedItems(db, 50);
  const doomed = await seedItems(db, 2 * total);
  const figures: WarmFigure[] = [];
  for (const workload of workloadsOf(db.tableName, seeded, doomed)) {
    const module = (await import(pathToFileURL(bundleOf(workload.name)).href)) as {
      handler: Handler;
    };
    // A query string makes a new module instance: this workload's own, cold copy of the SDK.
    const bareSdk = (await import(
      `${pathToFileURL(bareSdkPath).href}?${workload.name}`
    )) as BareSdk;
    const handlerMs: number[] = [];
    const bareMs: number[] = [];
    const timeHandler = async (i: number) => {
      const event = workload.event(i);
      const started = performance.now();
      const result = await module.handler(event);
      const elapsed = performance.now() - started;
      if (result.statusCode !== workload.status) {
        throw new Error(`${workload.name} answered ${result.statusCode}: ${result.body}`);
      }
      if (i >= warmup) handlerMs.push(elapsed);
    };
    const timeBare = async (i: number) => {
      const started = performance.now();
      await workload.bare(bareSdk, i);
      if (i >= warmup) bareMs.push(performance.now() - started);
    };
    await withStdoutDiscarded(async () => {
      // Blocks of calls, alternating: a drift in the machine's load hits both sides alike,
      // and each side runs with its own code warm in the CPU caches, as it would alone.
      for (let block = 0; block < total; block += blockSize) {
        const end = Math.min(total, block + blockSize);
        for (let i = block; i < end; i++) await timeHandler(i);
        for (let i = block; i < end; i++) await timeBare(i);
      }
    });
    const handler = { medianMs: median(handlerMs), p99Ms: percentile(handlerMs, 99) };
    const bare = { medianMs: median(bareMs), p99Ms: percentile(bareMs, 99) };
    figures.push({ name: workload.name, handler, bare, ratio: handler.medianMs / bare.medianMs });
  }
  return figures;
}
