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
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../build/build.ts";
import { defaultInstancesPerFunction, startLocalServer } from "../local/local-server.ts";
import type { Operation } from "./sdk-load.ts";
import { median } from "./stats.ts";

export interface RateFigure {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

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

interface LoadTarget {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface SdkLoadJson {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
}

const autocannonCli = createRequire(import.meta.url).resolve("autocannon/autocannon.js");
const sdkLoadScript = fileURLToPath(new URL("sdk-load.ts", import.meta.url));

/** Runs `node args...` and resolves with its stdout; rejects unless it exits 0. */
function runChild(args: readonly string[]): Promise<string> {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}

/** Runs autocannon once against `target`; throws if any answer was not a 2xx. */
async function runAutocannon(target: LoadTarget, args: readonly string[]): Promise<RateFigure> {
  const headerArgs = Object.entries(target.headers).flatMap(([k, v]) => ["-H", `${k}=${v}`]);
  const bodyArgs = target.body === undefined ? [] : ["-b", target.body];
  // -I: autocannon puts a fresh id wherever the body says [<id>] (raw PutItems need their own).
  if (target.body?.includes("[<id>]")) bodyArgs.push("-I");
  const argv = [autocannonCli, "--json", "-n", "-m", target.method, ...args];
  const result = JSON.parse(
    await runChild([...argv, ...headerArgs, ...bodyArgs, target.url]),
  ) as AutocannonJson;
  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures > 0) {
    throw new Error(`${target.method} ${target.url}: ${failures} failed requests`);
  }
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

/** The DocumentClient loop (see sdk-load.ts): started and warmed up once, measured per round. */
class SdkLoad {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #stderr = "";

  constructor(sdkArgs: readonly string[], warmupSeconds: number) {
    this.#child = spawn(
      process.execPath,
      ["--import", "tsx", sdkLoadScript, ...sdkArgs, String(warmupSeconds)],
      { cwd: projectRoot, env: { PATH: process.env.PATH ?? "" }, stdio: ["pipe", "pipe", "pipe"] },
    );
    this.#child.stderr.on("data", (chunk: Buffer) => {
      this.#stderr += chunk;
    });
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  /** The next line the loop prints; rejects if it ended instead. */
  async #nextLine(): Promise<string> {
    const line = await this.#lines.next();
    if (line.done) throw new Error(`the DocumentClient loop ended: ${this.#stderr}`);
    return line.value;
  }

  /** Resolves once the loop has warmed up. */
  async ready(): Promise<void> {
    const line = await this.#nextLine();
    if (line !== "ready") throw new Error(`the DocumentClient loop said ${line}`);
  }

  async measure(operation: Operation, seconds: number): Promise<RateFigure> {
    this.#child.stdin.write(`${operation} ${seconds}\n`);
    const result = JSON.parse(await this.#nextLine()) as SdkLoadJson;
    return {
      requestsPerSecond: result.requests / result.seconds,
      p50Ms: result.p50,
      p99Ms: result.p99,
    };
  }

  close(): void {
    this.#child.stdin.end();
  }
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
    onRequest: () => {},
    onFunctionOutput: () => {},
  });
  try {
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
    const connections = String(settings.connections);
    const pairs: {
      route: string;
      server: LoadTarget;
      dynalite: LoadTarget;
      sdk: Operation;
    }[] = [
      {
        route: "GET /{id}",
        server: { url: `${server.url}/${id}`, method: "GET", headers: {} },
        dynalite: dynamoDbTarget(endpoint, "GetItem", {
          TableName: server.tableName,
          Key: { id: { S: id } },
          ConsistentRead: true,
        }),
        sdk: "get",
      },
      {
        route: "POST /",
        server: {
          url: `${server.url}/`,
          method: "POST",
          headers: { "content-type": "application/json" },
          // One body for every request: the function makes each item's id. (Asking autocannon
          // for a fresh value per request makes it rebuild every request, which costs the two
          // cores the server shares with it a few percent of its rate.)
          body: itemBody,
        },
        dynalite: dynamoDbTarget(endpoint, "PutItem", {
          TableName: server.tableName,
          Item: { ...stored.Item, id: { S: "[<id>]" } },
          ConditionExpression: "attribute_not_exists(#id)",
          ExpressionAttributeNames: { "#id": "id" },
        }),
        sdk: "put",
      },
    ];
    const load = ["-c", connections, "-d", String(settings.seconds)];
    // Each function instance is an isolate of its own that must warm up like the loop's one,
    // on its share of the requests: as many seconds of load per instance.
    const serverWarmupSeconds = settings.warmupSeconds * defaultInstancesPerFunction;
    const warmup = ["-c", connections, "-d", String(serverWarmupSeconds)];
    const figures: ServerFigure[] = [];
    // Neither side is measured cold: the first requests start the function's instances (cold
    // starts), and every side runs unoptimized code at first. The loop warms up first, alone, on
    // both operations: as many seconds per operation as each function instance gets. The
    // server's requests also warm up the dynalite code that raw JSON reaches.
    const sdk = new SdkLoad(
      [endpoint, server.tableName, id, connections],
      settings.warmupSeconds * pairs.length,
    );
    try {
      await sdk.ready();
      for (const pair of pairs) {
        await runAutocannon(pair.server, warmup);
        const rounds: { server: RateFigure; sdk: RateFigure; dynalite: RateFigure }[] = [];
        for (let round = 0; round < settings.rounds; round++) {
          const server = await runAutocannon(pair.server, load);
          const sdkRate = await sdk.measure(pair.sdk, settings.seconds);
          rounds.push({ server, sdk: sdkRate, dynalite: await runAutocannon(pair.dynalite, load) });
        }
        const shareOf = (side: "sdk" | "dynalite") =>
          median(rounds.map((r) => r.server.requestsPerSecond / r[side].requestsPerSecond));
        figures.push({
          route: pair.route,
          server: rateOf(rounds.map((r) => r.server)),
          dynalite: rateOf(rounds.map((r) => r.dynalite)),
          dynaliteViaSdk: rateOf(rounds.map((r) => r.sdk)),
          share: shareOf("dynalite"),
          shareOfSdk: shareOf("sdk"),
        });
      }
    } finally {
      sdk.close();
    }
    return figures;
  } finally {
    await server.close();
  }
}
