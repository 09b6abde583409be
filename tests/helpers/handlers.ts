/**
 * Loads the five handlers from source against a fresh items table on the test database. The
 * environment is set before the import because each handler reads its configuration once, at
 * load, exactly as on Lambda.
 */
import "./quiet-output.ts";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { HttpResponse } from "../../common/http.ts";
import { routes } from "../../common/routes.ts";
import { patientDynamoDbTimeoutMs, startTestDatabase, type TestDatabase } from "./dynalite.ts";

type Handler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<HttpResponse>;
export type FunctionName = (typeof routes)[number]["name"];

/** The key the list handler signs page tokens with in tests (PAGE_TOKEN_KEY). */
export const testPageTokenKey = "the page-token key of the handler tests";

export interface HandlerHarness {
  readonly db: TestDatabase;
  readonly tableName: string;
  readonly idempotencyTableName: string;
  readonly handlers: Readonly<Record<FunctionName, Handler>>;
}

/**
 * Starts a database, creates the tables, and imports every handler configured for them, with
 * DynamoDB timeouts of 30 s instead of 1 s: these tests are about what the handlers answer, and
 * a busy machine must not turn their calls into 503s. The fault tests (imported-handlers.ts)
 * keep the production timeouts.
 */
export async function loadHandlers(): Promise<HandlerHarness> {
  process.env.DYNAMODB_TIMEOUT_MS = String(patientDynamoDbTimeoutMs);
  const db = await startTestDatabase();
  const [tableName, idempotencyTableName] = await Promise.all([
    db.createItemsTable(),
    db.createIdempotencyTable(),
  ]);
  process.env.TABLE_NAME = tableName;
  process.env.IDEMPOTENCY_TABLE_NAME = idempotencyTableName;
  process.env.PAGE_TOKEN_KEY = testPageTokenKey;
  const entries = await Promise.all(
    routes.map(async (route) => {
      const module = (await import(`../../${route.entry}`)) as { handler: Handler };
      return [route.name, module.handler] as const;
    }),
  );
  const handlers = Object.fromEntries(entries) as Record<FunctionName, Handler>;
  return { db, tableName, idempotencyTableName, handlers };
}

/** The parsed JSON body of a response. */
export function bodyOf<T = Record<string, unknown>>(response: HttpResponse): T {
  return JSON.parse(response.body ?? "null") as T;
}
