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
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import KSUID from "ksuid";
import { bundlePathOf } from "../build.ts";
import type { BenchDatabase } from "./database.ts";
import { lambdaEnvironment } from "./lambda-environment.ts";
import { median, percentile } from "./stats.ts";
import { type BareSdk, storedItem, type Workload, workloadsOf } from "./warm-workloads.ts";

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

const blockSize = 20;

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
    figures.push(await timeWorkload(workload, module.handler, bareSdk, iterations, warmup));
  }
  return figures;
}

/** Times `warmup + iterations` calls of the handler and of its bare call; keeps the last ones. */
async function timeWorkload(
  workload: Workload,
  handler: Handler,
  bareSdk: BareSdk,
  iterations: number,
  warmup: number,
): Promise<WarmFigure> {
  const total = iterations + warmup;
  const handlerMs: number[] = [];
  const bareMs: number[] = [];
  const timeHandler = async (i: number) => {
    const event = workload.event(i);
    const started = performance.now();
    const result = await handler(event);
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
  const handlerTiming = { medianMs: median(handlerMs), p99Ms: percentile(handlerMs, 99) };
  const bare = { medianMs: median(bareMs), p99Ms: percentile(bareMs, 99) };
  return {
    name: workload.name,
    handler: handlerTiming,
    bare,
    ratio: handlerTiming.medianMs / bare.medianMs,
  };
}
