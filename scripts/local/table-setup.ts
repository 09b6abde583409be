/**
 * Makes sure the tables exist before the first request: created from the shared table shapes on
 * a local store, only checked on AWS (where the infrastructure creates them).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { createTableInputOf, type idempotencyTable, type itemsTable } from "../../common/tables.ts";

const activeWaitMs = 30_000;

/** A table shape of common/tables.ts. */
export type TableShape = typeof itemsTable | typeof idempotencyTable;

/** Creates a table if it is missing (with its TTL where the store has TTL), waits until ACTIVE. */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  shape: TableShape,
): Promise<"created" | "existed"> {
  const status = await tableStatusOf(client, tableName);
  if (status === "ACTIVE") return "existed";
  if (status === undefined) {
    try {
      await client.send(
        new CreateTableCommand({ TableName: tableName, ...createTableInputOf(shape) }),
      );
    } catch (error) {
      // Another server sharing the endpoint created it first: fine.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  const giveUpAt = Date.now() + activeWaitMs;
  while ((await tableStatusOf(client, tableName)) !== "ACTIVE") {
    if (Date.now() > giveUpAt)
      throw new Error(`table ${tableName} did not become ACTIVE in ${activeWaitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (status === undefined && "ttlAttribute" in shape) await enableTtl(client, tableName, shape);
  return status === undefined ? "created" : "existed";
}

/**
 * TTL as deployed, where the store has it (DynamoDB Local does). dynalite has no
 * UpdateTimeToLive: expired records then stay, and Powertools' own condition on the expiry
 * attribute still treats them as gone, so behaviour is the same, only storage grows.
 */
async function enableTtl(
  client: DynamoDBClient,
  tableName: string,
  shape: typeof idempotencyTable,
): Promise<void> {
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: shape.ttlAttribute, Enabled: true },
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== "UnknownOperationException") throw error;
  }
}

/** Fails with a clear message when a table is missing on AWS; never creates it there. */
export async function requireTable(
  client: DynamoDBClient,
  tableName: string,
  variable: string,
): Promise<void> {
  if ((await tableStatusOf(client, tableName)) === undefined) {
    const region = await client.config.region();
    throw new Error(
      `table "${tableName}" does not exist in ${region}: deploy first, or set ${variable}`,
    );
  }
}

async function tableStatusOf(
  client: DynamoDBClient,
  tableName: string,
): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return Table?.TableStatus ?? "ACTIVE";
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}
