/**
 * Makes sure the items table exists before the first request: created from the shared table
 * shape on a local store, only checked on AWS (where the infrastructure creates it).
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { createTableInputOf, itemsTable } from "../../common/tables.ts";

const activeWaitMs = 30_000;

/** Creates the items table if it is missing and waits until it is ACTIVE. */
export async function ensureItemsTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<"created" | "existed"> {
  const status = await tableStatusOf(client, tableName);
  if (status === "ACTIVE") return "existed";
  if (status === undefined) {
    try {
      await client.send(
        new CreateTableCommand({ TableName: tableName, ...createTableInputOf(itemsTable) }),
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
  return status === undefined ? "created" : "existed";
}

/** Fails with a clear message when the table is missing on AWS; never creates it there. */
export async function requireItemsTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    if ((await tableStatusOf(client, tableName)) === undefined) {
      const region = await client.config.region();
      throw new Error(
        `table "${tableName}" does not exist in ${region}: deploy first, or set TABLE_NAME`,
      );
    }
  } finally {
    client.destroy();
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
