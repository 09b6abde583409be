/**
 * A real DynamoDB-compatible server for tests: an in-memory dynalite on a free port, one per test
 * file, with tables of the test's own. `DYNAMODB_ENDPOINT` points the tests at another server
 * (DynamoDB Local in CI) instead.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import {
  CreateTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import { createTableInputOf, idempotencyTable, itemsTable } from "../../common/tables.ts";

export interface TestDatabase {
  readonly endpoint: string;
  readonly client: DynamoDBDocumentClient;
  /** Creates an empty items table and returns its name. */
  createItemsTable(): Promise<string>;
  /** Creates an empty idempotency table (TTL on where the server has it) and returns its name. */
  createIdempotencyTable(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * DynamoDB timeout (DYNAMODB_TIMEOUT_MS) for tests that are not about a slow database: long
 * enough that only a hung server reaches it, where production's 1 s can expire on a busy machine.
 */
export const patientDynamoDbTimeoutMs = 30_000;

const testCredentials = { accessKeyId: "test", secretAccessKey: "test" };

/** Sets the dummy region and credentials the SDK insists on, even against a local server. */
export function useLocalAwsEnvironment(endpoint: string): void {
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= testCredentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= testCredentials.secretAccessKey;
  process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
}

/** Starts in-memory dynalite (or connects to DYNAMODB_ENDPOINT) and returns a handle to it. */
export async function startTestDatabase(): Promise<TestDatabase> {
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  let stop = async () => {};
  if (!endpoint) {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  }
  useLocalAwsEnvironment(endpoint);
  const raw = new DynamoDBClient({ endpoint, region: "us-east-1", credentials: testCredentials });
  const client = DynamoDBDocumentClient.from(raw);
  return {
    endpoint,
    client,
    async createItemsTable() {
      const name = `items-test-${randomUUID()}`;
      await raw.send(
        new CreateTableCommand({ TableName: name, ...createTableInputOf(itemsTable) }),
      );
      return name;
    },
    async createIdempotencyTable() {
      const name = `idempotency-test-${randomUUID()}`;
      await raw.send(
        new CreateTableCommand({ TableName: name, ...createTableInputOf(idempotencyTable) }),
      );
      const ttl = { AttributeName: idempotencyTable.ttlAttribute, Enabled: true };
      await raw
        .send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: ttl }))
        .catch((error: Error) => {
          // dynalite has no TTL; DynamoDB Local has.
          if (error.name !== "UnknownOperationException") throw error;
        });
      return name;
    },
    async stop() {
      raw.destroy();
      await stop();
    },
  };
}
