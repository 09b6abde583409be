/**
 * What the warm benchmark calls: for each handler, its event for call `i`, the status it must
 * answer, and the bare DocumentClient call it makes on the same data.
 */
import type * as LibDynamoDb from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import KSUID from "ksuid";
import { eventOf } from "./events.ts";

/** The bare-sdk bundle: a DocumentClient and the commands our handlers send. */
export type BareSdk = Pick<
  typeof LibDynamoDb,
  "DeleteCommand" | "GetCommand" | "PutCommand" | "ScanCommand" | "UpdateCommand"
> & { readonly client: LibDynamoDb.DynamoDBDocumentClient };

/** One handler's workload: the event for call `i`, its expected status, the bare call. */
export interface Workload {
  readonly name: string;
  readonly status: number;
  event(i: number): APIGatewayProxyEventV2;
  bare(sdk: BareSdk, i: number): Promise<unknown>;
}

const input = { name: "Benchmark item", description: "An item of typical size, ".repeat(4) };

const idCondition = { "#id": "id" };

/** An item as the table stores it, with the benchmark's typical input. */
export function storedItem(id: string) {
  const now = new Date().toISOString();
  return { id, ...input, createdAt: now, updatedAt: now, version: 1 };
}

/**
 * Every handler's workload against `tableName`: reads and updates cycle through the `seeded`
 * items; each delete call takes two `doomed` items, one for the handler and one for the bare call.
 */
export function workloadsOf(
  tableName: string,
  seeded: readonly string[],
  doomed: readonly string[],
): Workload[] {
  const seededId = (i: number) => seeded[i % seeded.length] ?? "";
  const doomedId = (i: number, half: 0 | 1) => doomed[2 * i + half] ?? "";
  return [
    createItemWorkload(tableName),
    listItemsWorkload(tableName),
    getItemWorkload(tableName, seededId),
    updateItemWorkload(tableName, seededId),
    deleteItemWorkload(tableName, doomedId),
  ];
}

function createItemWorkload(tableName: string): Workload {
  return {
    name: "create-item",
    status: 201,
    event: () => eventOf({ method: "POST", json: input }),
    bare: ({ client, PutCommand }) =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: storedItem(KSUID.randomSync().string),
          ConditionExpression: "attribute_not_exists(#id)",
          ExpressionAttributeNames: idCondition,
        }),
      ),
  };
}

function listItemsWorkload(tableName: string): Workload {
  return {
    name: "list-items",
    status: 200,
    event: () => eventOf({ method: "GET", query: { limit: "20" } }),
    bare: ({ client, ScanCommand }) =>
      client.send(new ScanCommand({ TableName: tableName, Limit: 21, ConsistentRead: true })),
  };
}

function getItemWorkload(tableName: string, seededId: (i: number) => string): Workload {
  return {
    name: "get-item",
    status: 200,
    event: (i) => eventOf({ method: "GET", id: seededId(i) }),
    bare: ({ client, GetCommand }, i) =>
      client.send(
        new GetCommand({ TableName: tableName, Key: { id: seededId(i) }, ConsistentRead: true }),
      ),
  };
}

function updateItemWorkload(tableName: string, seededId: (i: number) => string): Workload {
  return {
    name: "update-item",
    status: 200,
    event: (i) => eventOf({ method: "PUT", id: seededId(i), json: input }),
    bare: ({ client, UpdateCommand }, i) =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { id: seededId(i) },
          UpdateExpression:
            "SET #name = :name, #description = :description, #updatedAt = :now, #version = #version + :one",
          ConditionExpression: "attribute_exists(#id)",
          ExpressionAttributeNames: {
            ...idCondition,
            "#name": "name",
            "#description": "description",
            "#updatedAt": "updatedAt",
            "#version": "version",
          },
          ExpressionAttributeValues: {
            ":name": input.name,
            ":description": input.description,
            ":now": new Date().toISOString(),
            ":one": 1,
          },
          ReturnValues: "ALL_NEW",
        }),
      ),
  };
}

function deleteItemWorkload(
  tableName: string,
  doomedId: (i: number, half: 0 | 1) => string,
): Workload {
  return {
    name: "delete-item",
    status: 204,
    event: (i) => eventOf({ method: "DELETE", id: doomedId(i, 0) }),
    bare: ({ client, DeleteCommand }, i) =>
      client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { id: doomedId(i, 1) },
          ConditionExpression: "attribute_exists(#id)",
          ExpressionAttributeNames: idCondition,
        }),
      ),
  };
}
