/**
 * The local server under load: autocannon (in a child process, so it never competes with the
 * server for this process's event loop) at a fixed concurrency against `GET /{id}` and `POST /`,
 * next to the same operations sent straight to the server's own dynalite as raw DynamoDB JSON
 * (dynalite does not check signatures). Rounds alternate server and raw; the medians are kept.
 */
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { startLocalServer } from "../local/local-server.ts";
import { median } from "./stats.ts";

export interface RateFigure {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface ServerFigure {
  readonly route: string;
  readonly server: RateFigure;
  readonly dynalite: RateFigure;
  /** Server rate over raw dynalite rate. */
  readonly share: number;
}

export interface LoadSettings {
  readonly connections: number;
  readonly seconds: number;
  readonly rounds: number;
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

const autocannonCli = createRequire(import.meta.url).resolve("autocannon/autocannon.js");

/** Runs autocannon once against `target`; throws if any answer was not a 2xx. */
function runAutocannon(target: LoadTarget, args: readonly string[]): Promise<AutocannonJson> {
  const headerArgs = Object.entries(target.headers).flatMap(([k, v]) => ["-H", `${k}=${v}`]);
  const bodyArgs = target.body === undefined ? [] : ["-b", target.body, "-I"];
  const argv = [autocannonCli, "--json", "-n", "-m", target.method, ...args];
  const child = spawn(process.execPath, [...argv, ...headerArgs, ...bodyArgs, target.url], {
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
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}: ${stderr}`));
      const result = JSON.parse(stdout) as AutocannonJson;
      const failures = result.non2xx + result.errors + result.timeouts;
      if (failures > 0) {
        return reject(new Error(`${target.method} ${target.url}: ${failures} failed requests`));
      }
      resolve(result);
    });
  });
}

function rateOf(results: readonly AutocannonJson[]): RateFigure {
  return {
    requestsPerSecond: median(results.map((r) => r.requests.average)),
    p50Ms: median(results.map((r) => r.latency.p50)),
    p99Ms: median(results.map((r) => r.latency.p99)),
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
    const pairs: { route: string; server: LoadTarget; dynalite: LoadTarget }[] = [
      {
        route: "GET /{id}",
        server: { url: `${server.url}/${id}`, method: "GET", headers: {} },
        dynalite: dynamoDbTarget(endpoint, "GetItem", {
          TableName: server.tableName,
          Key: { id: { S: id } },
          ConsistentRead: true,
        }),
      },
      {
        route: "POST /",
        server: {
          url: `${server.url}/`,
          method: "POST",
          headers: { "content-type": "application/json" },
          // autocannon's -I puts a fresh id wherever the body says [<id>]: vary the names a bit.
          body: itemBody.replace("Benchmark item", "Benchmark item [<id>]"),
        },
        dynalite: dynamoDbTarget(endpoint, "PutItem", {
          TableName: server.tableName,
          Item: { ...stored.Item, id: { S: "[<id>]" } },
          ConditionExpression: "attribute_not_exists(#id)",
          ExpressionAttributeNames: { "#id": "id" },
        }),
      },
    ];
    const load = ["-c", String(settings.connections), "-d", String(settings.seconds)];
    const warmup = ["-c", String(settings.connections), "-a", String(20 * settings.connections)];
    const figures: ServerFigure[] = [];
    for (const pair of pairs) {
      // Warm both: the first requests start the function's instances (cold starts).
      await runAutocannon(pair.server, warmup);
      await runAutocannon(pair.dynalite, warmup);
      const serverRuns: AutocannonJson[] = [];
      const dynaliteRuns: AutocannonJson[] = [];
      for (let round = 0; round < settings.rounds; round++) {
        serverRuns.push(await runAutocannon(pair.server, load));
        dynaliteRuns.push(await runAutocannon(pair.dynalite, load));
      }
      const serverRate = rateOf(serverRuns);
      const dynaliteRate = rateOf(dynaliteRuns);
      figures.push({
        route: pair.route,
        server: serverRate,
        dynalite: dynaliteRate,
        share: serverRate.requestsPerSecond / dynaliteRate.requestsPerSecond,
      });
    }
    return figures;
  } finally {
    await server.close();
  }
}
