/**
 * The DynamoDB the local functions talk to: an embedded dynalite (persisted with LevelDB, or in
 * memory), any other endpoint (DynamoDB Local, an external dynalite), or real AWS. Creates the
 * items and idempotency tables where they are missing, except on AWS, where the infrastructure
 * owns them.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { minPageTokenKeyLength } from "../../common/config.ts";
import { idempotencyTable, itemsTable } from "../../common/tables.ts";
import { cacheConditionParses } from "./dynalite-condition-cache.ts";
import { ensureTable, requireTable } from "./table-setup.ts";

/** Which store to use: the first of endpoint, aws, inMemory that is set, else dynalite on disk. */
export interface StoreOptions {
  readonly tableName: string;
  readonly idempotencyTableName: string;
  readonly endpoint?: string;
  readonly aws?: boolean;
  readonly inMemory?: boolean;
  readonly dataDir: string;
}

/** An open store: what to tell the functions, and how to let go of it. */
export interface LocalStore {
  readonly kind: "dynalite" | "memory" | "endpoint" | "aws";
  /** One line for the banner, e.g. `dynalite, persisted in .data/dynalite`. */
  readonly description: string;
  /** The DynamoDB endpoint (undefined on AWS, where the SDK picks it). */
  readonly endpoint?: string;
  /** Environment for every function: endpoint, region, credentials. */
  readonly functionEnv: Readonly<Record<string, string>>;
  /** The key that signs page tokens, and where it is kept (see `pageTokenKeyOf`). */
  readonly pageTokenKey: { readonly value: string; readonly kept: string };
  close(): Promise<void>;
}

// Any region and credentials do for a local store; the SDK just needs some. The shell's win, so
// that DynamoDB Local (which keeps one database per access key and region unless -sharedDb)
// shows the functions the same tables as the table setup here and the user's own tools.
const localRegion = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1";
const localCredentials = {
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "local",
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "local",
};
/** Opens the store and makes sure both tables are there. */
export async function openStore(options: StoreOptions): Promise<LocalStore> {
  if (options.aws) {
    const aws = new DynamoDBClient({});
    try {
      await requireTable(aws, options.tableName, "TABLE_NAME");
      await requireTable(aws, options.idempotencyTableName, "IDEMPOTENCY_TABLE_NAME");
      return {
        kind: "aws",
        description: "AWS (credentials and region from the environment)",
        functionEnv: await lambdaStyleEnvironmentOf(aws),
        pageTokenKey: await pageTokenKeyOf(undefined),
        close: async () => {},
      };
    } finally {
      aws.destroy();
    }
  }
  const embedded = options.endpoint === undefined ? await startDynalite(options) : undefined;
  const endpoint = options.endpoint ?? embedded?.endpoint ?? "";
  const client = new DynamoDBClient({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  let pageTokenKey: LocalStore["pageTokenKey"];
  try {
    await ensureTable(client, options.tableName, itemsTable);
    await ensureTable(client, options.idempotencyTableName, idempotencyTable);
    pageTokenKey = await pageTokenKeyOf(
      embedded && !options.inMemory ? options.dataDir : undefined,
    );
  } catch (error) {
    await embedded?.close();
    throw error;
  } finally {
    client.destroy();
  }
  const kind = embedded ? (options.inMemory ? "memory" : "dynalite") : "endpoint";
  const description = {
    dynalite: `dynalite, persisted in ${options.dataDir}`,
    memory: "dynalite, in memory (gone when the server stops)",
    endpoint: `DynamoDB at ${endpoint}`,
    aws: "",
  }[kind];
  const functionEnv = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: localRegion,
    AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
  };
  return {
    kind,
    description,
    endpoint,
    functionEnv,
    pageTokenKey,
    close: async () => embedded?.close(),
  };
}

/** The file in a data directory that keeps its page-token key. */
export const pageTokenKeyFileName = "page-token-key";

/**
 * The key that signs page tokens: PAGE_TOKEN_KEY when the shell sets it (e.g. the deployed
 * stage's, with --aws); else, with a data directory, the one kept in it, created on first use
 * (LevelDB leaves files it does not know alone), so tokens outlive a restart exactly as long as
 * the data does; else a new one per run.
 */
async function pageTokenKeyOf(dataDir: string | undefined): Promise<LocalStore["pageTokenKey"]> {
  const fromShell = process.env.PAGE_TOKEN_KEY || undefined;
  if (fromShell !== undefined && fromShell.length < minPageTokenKeyLength) {
    throw new Error(`PAGE_TOKEN_KEY must be at least ${minPageTokenKeyLength} characters`);
  }
  if (fromShell) return { value: fromShell, kept: "PAGE_TOKEN_KEY" };
  const fresh = randomBytes(32).toString("base64url");
  if (dataDir === undefined) return { value: fresh, kept: "this run only" };
  const file = path.join(dataDir, pageTokenKeyFileName);
  try {
    await writeFile(file, `${fresh}\n`, { flag: "wx", mode: 0o600 });
    return { value: fresh, kept: file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const kept = (await readFile(file, "utf8")).trim();
  if (kept.length < minPageTokenKeyLength) {
    throw new Error(`${file} holds no usable key: delete it to make a new one`);
  }
  return { value: kept, kept: file };
}

/**
 * Credentials and region as Lambda hands them to a function: environment variables. The bundles
 * read nothing else (scripts/build/sdk-swaps.ts), so a profile or SSO login is resolved here,
 * once, by the SDK's full chain. Temporary credentials expire with their session: restart then.
 */
async function lambdaStyleEnvironmentOf(aws: DynamoDBClient): Promise<Record<string, string>> {
  const credentials = await aws.config.credentials();
  return {
    AWS_REGION: await aws.config.region(),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
}

type Dynalite = (options: Record<string, unknown>) => Server;
type LevelDb = { open(): Promise<void>; close(): Promise<void> };
type Level = new (path: string) => LevelDb;

const requireHere = createRequire(import.meta.url);

async function startDynalite(options: StoreOptions) {
  const dynalite = requireHere("dynalite") as Dynalite;
  cacheConditionParses(createRequire(requireHere.resolve("dynalite")));
  if (!options.inMemory) {
    mkdirSync(options.dataDir, { recursive: true });
    await assertDataDirFree(options.dataDir);
  }
  // Tables turn ACTIVE at once: nothing to wait for locally.
  const server = dynalite({
    ...(options.inMemory ? {} : { path: options.dataDir }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    // dynalite waits for its pending writes, then closes LevelDB; idle keep-alive sockets would
    // otherwise hold the HTTP server open.
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * dynalite opens LevelDB lazily and, when another server holds the directory, fails later with
 * an unhandled "Database is closed". Opening it once up front turns that into a clear error.
 */
async function assertDataDirFree(dataDir: string): Promise<void> {
  const { Level } = createRequire(requireHere.resolve("dynalite"))("level") as { Level: Level };
  const db = new Level(dataDir);
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code !== "LEVEL_LOCKED") throw error;
    throw new Error(
      `${dataDir} is in use by another local server: stop it, or use another data dir`,
    );
  }
  await db.close();
}
