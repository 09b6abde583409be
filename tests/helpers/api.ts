/**
 * Shorthands for the API tests: calling a handler with an event built by the factory, making
 * items, reading the table directly (to prove what a request did or did not write), and the
 * assertions every error answer must pass.
 */
import { type DynamoDBDocumentClient, GetCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { ExecutionContext } from "ava";
import type { HttpResponse } from "../../common/http.ts";
import type { Item } from "../../common/items-table.ts";
import type { TestDatabase } from "./dynalite.ts";
import { createEvent, type EventOptions } from "./events.ts";
import { bodyOf, type FunctionName, type HandlerHarness } from "./handlers.ts";

/** The request a function answers, with the event it was given (for its request id). */
export interface Exchange {
  readonly event: ReturnType<typeof createEvent>;
  readonly response: HttpResponse;
}

/** Sends one request, built by the event factory, to one function. */
export async function send(
  handlers: HandlerHarness["handlers"],
  name: FunctionName,
  options: EventOptions,
): Promise<Exchange> {
  const event = createEvent(options);
  return { event, response: await handlers[name](event) };
}

/** Creates an item through the API and returns it as answered. */
export async function createItem(
  handlers: HandlerHarness["handlers"],
  input: { name: string; description: string } = { name: "an item", description: "its text" },
): Promise<Item> {
  const response = await handlers["create-item"](createEvent({ method: "POST", json: input }));
  if (response.statusCode !== 201) throw new Error(`create answered ${response.statusCode}`);
  return bodyOf<Item>(response);
}

/** Every row of a table, read directly (not through the API), in the order DynamoDB scans them. */
export async function scanTable(
  db: TestDatabase | DynamoDBDocumentClient,
  tableName: string,
): Promise<Record<string, unknown>[]> {
  const client = "client" in db ? db.client : db;
  const rows: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    rows.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

/** The stored row with this id, read directly; undefined when there is none. */
export async function storedRow(
  db: TestDatabase,
  tableName: string,
  id: string,
): Promise<Record<string, unknown> | undefined> {
  const { Item } = await db.client.send(
    new GetCommand({ TableName: tableName, Key: { id }, ConsistentRead: true }),
  );
  return Item;
}

const problemFields = new Set(["type", "title", "status", "detail", "requestId", "errors"]);

/**
 * Asserts an RFC 9457 answer: problem+json, the documented fields and nothing else, the request
 * id of the event (also in `x-request-id`), and none of `secrets` (table names, endpoints, ...).
 */
export function assertProblem(
  t: ExecutionContext,
  { event, response }: Exchange,
  status: number,
  secrets: readonly string[] = [],
): Record<string, unknown> {
  t.is(response.statusCode, status, response.body);
  t.is(response.headers?.["content-type"], "application/problem+json");
  const requestId = event.requestContext.requestId;
  t.is(response.headers?.["x-request-id"], requestId);
  const problem = bodyOf(response);
  t.like(problem, { type: "about:blank", status, requestId });
  t.is(typeof problem.title, "string");
  t.true((problem.title as string).length > 0);
  t.is(typeof problem.detail, "string");
  t.true((problem.detail as string).length > 0);
  t.deepEqual(
    Object.keys(problem).filter((key) => !problemFields.has(key)),
    [],
    "only RFC 9457 fields",
  );
  const text = response.body ?? "";
  t.false(/Exception|\bat .+:\d+:\d+|node_modules|arn:aws/i.test(text), text);
  for (const secret of secrets) t.false(text.includes(secret), `leaks ${secret}: ${text}`);
  return problem;
}

/** The `errors` of a 400, as `path` → message. */
export function fieldErrorsOf(problem: Record<string, unknown>): Map<string, string> {
  const errors = (problem.errors ?? []) as { path: string; message: string }[];
  return new Map(errors.map((error) => [error.path, error.message]));
}

/** Resolves after `ms` milliseconds (for timestamps that must move on). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
