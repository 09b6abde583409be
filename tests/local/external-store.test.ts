/**
 * With an endpoint (DynamoDB Local, an external dynalite) the server uses it instead of the
 * embedded store, and creates the items and idempotency tables there when they are missing.
 */
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import test from "ava";
import { startFixtureServer } from "./fixture-server.ts";

const dynalite = createRequire(import.meta.url)("dynalite") as (options: object) => Server;

test("creates the tables on an external endpoint and serves from it", async (t) => {
  const external = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => external.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => external.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(external.address() as AddressInfo).port}`;

  const server = await startFixtureServer({ endpoint, tableName: "items-external" });
  t.teardown(() => server.close());
  t.is(server.dynamoDbEndpoint, endpoint);
  t.regex(server.storeDescription, /DynamoDB at http:\/\/127\.0\.0\.1/);

  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  t.teardown(() => client.destroy());
  const { TableNames } = await client.send(new ListTablesCommand({}));
  t.deepEqual(TableNames, ["items-external", "items-external-idempotency"]);

  t.is((await fetch(`${server.url}/items/a`, { method: "PUT", body: "x" })).status, 204);
  t.is((await fetch(`${server.url}/items/a`)).status, 200);
});

test("reuses a table that already exists", async (t) => {
  const external = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => external.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => external.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(external.address() as AddressInfo).port}`;
  const first = await startFixtureServer({ endpoint });
  await fetch(`${first.url}/items/kept`, { method: "PUT", body: "x" });
  await first.close();
  const second = await startFixtureServer({ endpoint });
  t.teardown(() => second.close());
  t.is((await fetch(`${second.url}/items/kept`)).status, 200);
});
