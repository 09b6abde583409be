/**
 * The items table, in the domain's words. Every write is conditional (create never overwrites;
 * update and delete never create or resurrect; If-Match is a condition on `version`), and
 * DynamoDB's exceptions become domain errors here and nowhere else.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { readConfig } from "./config.ts";
import { createDocumentClient } from "./dynamodb.ts";
import { isConditionalCheckFailed, translateDynamoDbError } from "./dynamodb-errors.ts";
import { ConflictError, NotFoundError, PreconditionFailedError } from "./errors.ts";
import type { ItemInput } from "./schemas.ts";

/** An item as stored and as the API shows it. */
export interface Item {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
}

/** A page of a scan, and the id to resume after when more items follow. */
export interface ItemsPage {
  readonly items: readonly Item[];
  readonly lastId: string | undefined;
}

/** `If-Match` as a write condition: any version (`"*"`), one of these versions, or none given. */
export type VersionCondition = "*" | readonly number[] | undefined;

/**
 * The table's two clients. `resending` repeats any transient failure: reads, and creates, which
 * a repeat finds already done (see createItem). `cautious` repeats only calls DynamoDB provably did not
 * apply: updates and deletes, which a blind repeat could apply twice (see ResendPolicy).
 */
export interface ItemsTableClients {
  readonly resending: DynamoDBDocumentClient;
  readonly cautious: DynamoDBDocumentClient;
}

/** The table a function is configured for, and the clients it reaches it through. */
export interface ItemsTable {
  readonly clients: ItemsTableClients;
  readonly tableName: string;
}

// One function per operation, not one class: each function's bundle keeps only the operations it
// calls and the SDK commands they send (esbuild drops unused functions, never unused methods).

/**
 * Stores a new item under `id` and returns it; never overwrites. The id is fresh from
 * `newItemId()`, or derived from an Idempotency-Key and the request (`itemIdFor`). The caller
 * makes the id, so only the create function loads the KSUID generator.
 *
 * When the id is taken, this very create landed on an earlier attempt: the SDK resent it after a
 * timeout, or the client retried a keyed create whose answer was never recorded. If the stored
 * item still holds what the client sent, that is the answer (created once, with its own
 * createdAt); if it has changed since, 409.
 */
export async function createItem(table: ItemsTable, id: string, input: ItemInput): Promise<Item> {
  const now = new Date().toISOString();
  const item: Item = { id, ...input, createdAt: now, updatedAt: now, version: 1 };
  try {
    await call(
      table.clients.resending.send(
        new PutCommand({
          TableName: table.tableName,
          Item: item,
          ConditionExpression: "attribute_not_exists(#id)",
          ExpressionAttributeNames: { "#id": "id" },
        }),
      ),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const stored = await findItem(table, id);
    if (stored?.name === input.name && stored.description === input.description) return stored;
    throw new ConflictError(
      "An earlier attempt of this request created the item, which has changed or gone since.",
    );
  }
  return item;
}

/** The item with this id; NotFoundError when there is none. */
export async function getItem(table: ItemsTable, id: string): Promise<Item> {
  const item = await findItem(table, id);
  if (!item) throw new NotFoundError();
  return item;
}

/**
 * Up to `limit` items in scan order, after `after`. Reads one item past the page so that
 * `lastId` is set only when at least one more item exists: a next page is never empty.
 */
export async function listItems(
  table: ItemsTable,
  limit: number,
  after: string | undefined,
): Promise<ItemsPage> {
  const found: Item[] = [];
  let startKey: Record<string, unknown> | undefined = after ? { id: after } : undefined;
  do {
    // A scan page stops at 1 MB, possibly short of Limit: keep going until the page is full.
    const page = await call(
      table.clients.resending.send(
        new ScanCommand({
          TableName: table.tableName,
          Limit: limit + 1 - found.length,
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      ),
    );
    found.push(...((page.Items ?? []) as Item[]).map(toItem));
    startKey = page.LastEvaluatedKey;
  } while (found.length <= limit && startKey);
  const items = found.slice(0, limit);
  return { items, lastId: found.length > limit ? items.at(-1)?.id : undefined };
}

/** Replaces name and description, bumping the version; never creates. */
export async function replaceItem(
  table: ItemsTable,
  id: string,
  input: ItemInput,
  ifMatch: VersionCondition,
): Promise<Item> {
  const condition = versionCondition(ifMatch);
  const result = await writeIfPresent(table, id, ifMatch, () =>
    table.clients.cautious.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { id },
        UpdateExpression:
          "SET #name = :name, #description = :description, #updatedAt = :now, #version = #version + :one",
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: {
          ...condition.names,
          "#version": "version",
          "#name": "name",
          "#description": "description",
          "#updatedAt": "updatedAt",
        },
        ExpressionAttributeValues: {
          ...condition.values,
          ":name": input.name,
          ":description": input.description,
          ":now": new Date().toISOString(),
          ":one": 1,
        },
        ReturnValues: "ALL_NEW",
      }),
    ),
  );
  return toItem(result.Attributes as Item);
}

/** Deletes the item; NotFoundError when it did not exist. */
export async function deleteItem(
  table: ItemsTable,
  id: string,
  ifMatch: VersionCondition,
): Promise<void> {
  const condition = versionCondition(ifMatch);
  await writeIfPresent(table, id, ifMatch, () =>
    table.clients.cautious.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: { id },
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: condition.names,
        ExpressionAttributeValues: condition.values,
      }),
    ),
  );
}

async function findItem(table: ItemsTable, id: string): Promise<Item | undefined> {
  const { Item: stored } = await call(
    table.clients.resending.send(
      new GetCommand({ TableName: table.tableName, Key: { id }, ConsistentRead: true }),
    ),
  );
  return stored ? toItem(stored as Item) : undefined;
}

/**
 * Runs a write conditioned on the item existing (and on If-Match). When the condition fails,
 * a consistent read tells a version mismatch (412) from a missing item (404): portable to
 * servers that ignore ReturnValuesOnConditionCheckFailure, and only paid on the failure path.
 */
async function writeIfPresent<T>(
  table: ItemsTable,
  id: string,
  ifMatch: VersionCondition,
  write: () => Promise<T>,
): Promise<T> {
  if (Array.isArray(ifMatch) && ifMatch.length === 0) {
    // An If-Match that names no version can never hold: skip the write, classify the failure.
    throw (await findItem(table, id)) ? new PreconditionFailedError() : new NotFoundError();
  }
  try {
    return await call(write());
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const versionsNamed = Array.isArray(ifMatch);
    throw versionsNamed && (await findItem(table, id))
      ? new PreconditionFailedError()
      : new NotFoundError();
  }
}

/** Awaits a DynamoDB call, turning throttling, timeouts and outages into a 503. */
async function call<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    throw translateDynamoDbError(error);
  }
}

/** The condition of a write that must find the item, at one of the If-Match versions if given. */
function versionCondition(ifMatch: VersionCondition): {
  expression: string;
  names: Record<string, string>;
  values: Record<string, number> | undefined;
} {
  if (!Array.isArray(ifMatch)) {
    return { expression: "attribute_exists(#id)", names: { "#id": "id" }, values: undefined };
  }
  const placeholders = ifMatch.map((_, i) => `:v${i}`);
  return {
    expression: `attribute_exists(#id) AND #version IN (${placeholders.join(", ")})`,
    names: { "#id": "id", "#version": "version" },
    values: Object.fromEntries(ifMatch.map((version, i) => [`:v${i}`, version])),
  };
}

/** Only the item's own fields, in a stable order, whatever else the table row holds. */
function toItem(stored: Item): Item {
  const { id, name, description, createdAt, updatedAt, version } = stored;
  return { id, name, description, createdAt, updatedAt, version: Number(version) };
}

/**
 * The items table this function is configured for, on clients of its own, each built at load
 * only where a successful request uses it (about 1 ms of cold start per client, measured by
 * `npm run bench`): updates and deletes write through `cautious` and read through `resending`
 * only to tell a 404 from a 412; the other functions never write through `cautious`.
 */
export function itemsTableFromEnvironment(
  options: { readonly conditionalWrites?: boolean } = {},
): ItemsTable {
  const writes = options.conditionalWrites === true;
  let resending = writes ? undefined : createDocumentClient("transient");
  let cautious = writes ? createDocumentClient("unapplied") : undefined;
  const clients = {
    get resending() {
      resending ??= createDocumentClient("transient");
      return resending;
    },
    get cautious() {
      cautious ??= createDocumentClient("unapplied");
      return cautious;
    },
  };
  return { clients, tableName: readConfig().tableName };
}
