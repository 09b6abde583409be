/** An in-memory dynalite with one items table, and a bare DocumentClient on it. */
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import { createTableInputOf, itemsTable } from "../../common/tables.ts";
import { benchTableName, lambdaEnvironment } from "./lambda-environment.ts";

export interface BenchDatabase {
  readonly endpoint: string;
  readonly tableName: string;
  /** A DocumentClient as a typical project builds one: SDK defaults, no wrapper. */
  readonly bareClient: DynamoDBDocumentClient;
  stop(): Promise<void>;
}

/** Starts dynalite on a free loopback port and creates the items table. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const env = lambdaEnvironment();
  const raw = new DynamoDBClient({
    endpoint,
    region: env.AWS_REGION,
    credentials: {
      accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
      sessionToken: env.AWS_SESSION_TOKEN,
    },
  });
  await raw.send(
    new CreateTableCommand({ TableName: benchTableName, ...createTableInputOf(itemsTable) }),
  );
  return {
    endpoint,
    tableName: benchTableName,
    bareClient: DynamoDBDocumentClient.from(raw),
    async stop() {
      raw.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
