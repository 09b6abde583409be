/**
 * The local server under load: autocannon (in a child process, so it never competes with the
 * server for this process's event loop) at a fixed concurrency against `GET /{id}` and `POST /`,
 * next to the same operations sent straight to the server's own dynalite, two ways: as raw
 * DynamoDB JSON from autocannon (dynalite does not check signatures: the database alone), and
 * from a DocumentClient loop in a child process (the database as our functions reach it, SDK
 * included). Every side warms up first; then rounds alternate the three, and a share is the
 * median of the rounds' shares: each compares figures taken seconds apart, which this machine's
 * drifting speed moves least.
 */
import {
  defaultInstancesPerFunction,
  type LocalServer,
  startLocalServer,
} from "../local/local-server.ts";
import { type LoadTarget, type RateFigure, runAutocannon, SdkLoad } from "./load-runners.ts";
import type { Operation } from "./sdk-load.ts";
import { median } from "./stats.ts";

export interface ServerFigure {
  readonly route: string;
  readonly server: RateFigure;
  /** Raw DynamoDB JSON straight to dynalite: the database alone. */
  readonly dynalite: RateFigure;
  /** A DocumentClient straight to dynalite: the database as our functions reach it. */
  readonly dynaliteViaSdk: RateFigure;
  /** Server rate over raw dynalite rate: the median of the rounds'. */
  readonly share: number;
  /** Server rate over the DocumentClient's rate: the median of the rounds'. */
  readonly shareOfSdk: number;
}

/**
 * The stage throttle the bench serves under, set here rather than taken from the environment:
 * the highest the settings take, so the deploy's default (50 requests/s) never caps a figure.
 */
export const benchThrottle = { rateLimit: 10_000, burstLimit: 5_000 } as const;

export interface LoadSettings {
  readonly connections: number;
  readonly seconds: number;
  readonly rounds: number;
  /**
   * Seconds of load at the measured concurrency that each isolate gets per operation before it
   * is measured: the DocumentClient loop (one isolate, both operations) and each function
   * instance of the server (see `measureServer`). Under full load on two cores, V8's optimizing
   * compiler runs on starved background threads: an isolate running the SDK gets fast only after
   * some thousands of calls (seconds). Measured any sooner, the figures compare JIT warm-ups,
   * not steady states.
   */
  readonly warmupSeconds: number;
}

/** One route, loaded through the server and straight to its dynalite, both ways. */
interface LoadPair {
  readonly route: string;
  readonly server: LoadTarget;
  readonly dynalite: LoadTarget;
  readonly sdk: Operation;
}

/** The server's table, as the loads see it, and an item stored in it. */
interface Seeded {
  readonly serverUrl: string;
  readonly endpoint: string;
  readonly tableName: string;
  readonly id: string;
  /** The item as DynamoDB JSON, which raw PutItems copy. */
  readonly stored: Record<string, unknown>;
}

function rateOf(results: readonly RateFigure[]): RateFigure {
  return {
    requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
    p50Ms: median(results.map((r) => r.p50Ms)),
    p99Ms: median(results.map((r) => r.p99Ms)),
  };
}

const itemBody = JSON.stringify({ name: "Benchmark item", description: "Created under load." });

function dynamoDbTarget(endpoint: string, operation: string, body: object): LoadTarget {
  return {
    url: `${endpoint}/`,
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${operation}`,
      "x-amz-date": "20250101T000000Z",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIDBENCHMARK/20250101/us-east-1/dynamodb/aws4_request, " +
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00",
    },
    body: JSON.stringify(body),
  };
}

async function send(target: LoadTarget): Promise<unknown> {
  const { url, ...init } = target;
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${target.method} ${url} answered ${response.status}`);
  return response.json();
}

/** Serves the API from the shipped bundles (in-memory dynalite) and loads it, then dynalite. */
export async function measureServer(settings: LoadSettings): Promise<ServerFigure[]> {
  const server = await startLocalServer({
    port: 0,
    inMemory: true,
    tableName: "items-bench",
    gateway: { throttle: benchThrottle },
    onRequest: () => {},
    onFunctionOutput: () => {},
  });
  try {
    const seeded = await seedItem(server);
    const pairs = loadPairsOf(seeded);
    // Neither side is measured cold: the first requests start the function's instances (cold
    // starts), and every side runs unoptimized code at first. The loop warms up first, alone, on
    // both operations: as many seconds per operation as each function instance gets. The
    // server's requests also warm up the dynalite code that raw JSON reaches.
    const sdk = new SdkLoad(
      [seeded.endpoint, seeded.tableName, seeded.id, String(settings.connections)],
      settings.warmupSeconds * pairs.length,
    );
    try {
      await sdk.ready();
      const figures: ServerFigure[] = [];
      for (const pair of pairs) figures.push(await measurePair(pair, sdk, settings));
      return figures;
    } finally {
      sdk.close();
    }
  } finally {
    await server.close();
  }
}

/** Creates an item through the server, and reads it back from dynalite as DynamoDB JSON. */
async function seedItem(server: LocalServer): Promise<Seeded> {
  const endpoint = server.dynamoDbEndpoint ?? "";
  const { id } = (await send({
    url: `${server.url}/`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: itemBody,
  })) as { id: string };
  const stored = (await send(
    dynamoDbTarget(endpoint, "GetItem", { TableName: server.tableName, Key: { id: { S: id } } }),
  )) as { Item: Record<string, unknown> };
  return { serverUrl: server.url, endpoint, tableName: server.tableName, id, stored: stored.Item };
}

/** `GET /{id}` of the seeded item and `POST /`, each with its raw and DocumentClient twins. */
function loadPairsOf({ serverUrl, endpoint, tableName, id, stored }: Seeded): LoadPair[] {
  return [
    {
      route: "GET /{id}",
      server: { url: `${serverUrl}/${id}`, method: "GET", headers: {} },
      dynalite: dynamoDbTarget(endpoint, "GetItem", {
        TableName: tableName,
        Key: { id: { S: id } },
        ConsistentRead: true,
      }),
      sdk: "get",
    },
    {
      route: "POST /",
      server: {
        url: `${serverUrl}/`,
        method: "POST",
        headers: { "content-type": "application/json" },
        // One body for every request: the function makes each item's id. (Asking autocannon
        // for a fresh value per request makes it rebuild every request, which costs the two
        // cores the server shares with it a few percent of its rate.)
        body: itemBody,
      },
      dynalite: dynamoDbTarget(endpoint, "PutItem", {
        TableName: tableName,
        Item: { ...stored, id: { S: "[<id>]" } },
        ConditionExpression: "attribute_not_exists(#id)",
        ExpressionAttributeNames: { "#id": "id" },
      }),
      sdk: "put",
    },
  ];
}

/** Warms the server's instances up on the pair's route, then alternates the three sides. */
async function measurePair(
  pair: LoadPair,
  sdk: SdkLoad,
  settings: LoadSettings,
): Promise<ServerFigure> {
  const connections = String(settings.connections);
  const load = ["-c", connections, "-d", String(settings.seconds)];
  // Each function instance is an isolate of its own that must warm up like the loop's one,
  // on its share of the requests: as many seconds of load per instance.
  const serverWarmupSeconds = settings.warmupSeconds * defaultInstancesPerFunction;
  await runAutocannon(pair.server, ["-c", connections, "-d", String(serverWarmupSeconds)]);
  const rounds: { server: RateFigure; sdk: RateFigure; dynalite: RateFigure }[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const server = await runAutocannon(pair.server, load);
    const sdkRate = await sdk.measure(pair.sdk, settings.seconds);
    rounds.push({ server, sdk: sdkRate, dynalite: await runAutocannon(pair.dynalite, load) });
  }
  const shareOf = (side: "sdk" | "dynalite") =>
    median(rounds.map((r) => r.server.requestsPerSecond / r[side].requestsPerSecond));
  return {
    route: pair.route,
    server: rateOf(rounds.map((r) => r.server)),
    dynalite: rateOf(rounds.map((r) => r.dynalite)),
    dynaliteViaSdk: rateOf(rounds.map((r) => r.sdk)),
    share: shareOf("dynalite"),
    shareOfSdk: shareOf("sdk"),
  };
}
