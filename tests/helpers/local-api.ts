/**
 * The API served the way `npm start` serves it (gateway adapter, function bundles in worker
 * threads, a DynamoDB-compatible store), started in-process for one test file. Quiet: request
 * lines are dropped and what the functions write is kept, so a test can read their logs.
 * Under `DYNAMODB_ENDPOINT` (DynamoDB Local in CI) the functions talk to that server instead of
 * an embedded dynalite.
 */
import "./quiet-output.ts";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { routes } from "../../common/routes.ts";
import { buildAll, bundlePathOf } from "../../scripts/build/build.ts";
import {
  type LocalServer,
  type LocalServerOptions,
  startLocalServer,
} from "../../scripts/local/local-server.ts";
import { scanTable } from "./api.ts";
import { patientDynamoDbTimeoutMs } from "./dynalite.ts";

/** A running local API, a direct client to its table, and what its functions logged. */
export interface LocalApi extends LocalServer {
  /** A DocumentClient on the same store as the functions (not through the API). */
  readonly db: DynamoDBDocumentClient;
  /** Everything the functions wrote to stdout and stderr so far. */
  functionOutput(): string;
}

const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/** Builds the function bundles when `dist/` lacks one (`npm test` builds them first). */
export async function ensureBundles(): Promise<void> {
  if (routes.some((route) => !existsSync(bundlePathOf(route.name)))) await buildAll();
}

/** Options of `startLocalApi`: the server's, and which DynamoDB timeouts the functions use. */
export interface LocalApiOptions extends LocalServerOptions {
  /**
   * "patient" (default): 30 s, so a busy machine cannot turn a call into a 503. "production":
   * the functions' own 1 s, for tests of a database that stalls or loses answers.
   */
  readonly dynamoDbTimeouts?: "patient" | "production";
}

/** Starts the local API on a free port with a table of its own. */
export async function startLocalApi(apiOptions: LocalApiOptions = {}): Promise<LocalApi> {
  const { dynamoDbTimeouts = "patient", ...options } = apiOptions;
  await ensureBundles();
  const output: string[] = [];
  const endpoint = options.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  const server = await startLocalServer({
    port: 0,
    tableName: `items-reliability-${randomUUID()}`,
    ...(endpoint === undefined ? { inMemory: true } : { endpoint }),
    onRequest: () => {},
    onFunctionOutput: (chunk) => void output.push(chunk),
    ...options,
    env: {
      ...(dynamoDbTimeouts === "patient"
        ? { DYNAMODB_TIMEOUT_MS: String(patientDynamoDbTimeoutMs) }
        : {}),
      ...options.env,
    },
  });
  const raw = new DynamoDBClient({
    endpoint: server.dynamoDbEndpoint,
    region: "us-east-1",
    credentials: localCredentials,
    maxAttempts: 1,
  });
  const db = DynamoDBDocumentClient.from(raw);
  return {
    ...server,
    db,
    functionOutput: () => output.join(""),
    close: async () => {
      raw.destroy();
      await server.close();
    },
  };
}

/** Every row of a table, read directly and sorted by id: equal snapshots mean no change. */
export async function snapshotTable(
  db: DynamoDBDocumentClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const rows = await scanTable(db, tableName);
  return rows.sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** `POST /` of `body` as JSON with an Idempotency-Key (and any other headers) to a local API. */
export function postKeyed(
  api: LocalApi,
  key: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${api.url}/`, {
    method: "POST",
    headers: { "content-type": "application/json", "idempotency-key": key, ...headers },
    body: JSON.stringify(body),
  });
}
