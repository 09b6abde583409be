/**
 * Loads the five handlers from source against a fresh items table on the test database. The
 * environment is set before the import because each handler reads its configuration once, at
 * load, exactly as on Lambda.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import type { HttpResponse } from "../../common/http.ts";
import { routes } from "../../common/routes.ts";
import { startTestDatabase, type TestDatabase } from "./dynalite.ts";

type Handler = (event: APIGatewayProxyEventV2) => Promise<HttpResponse>;
export type FunctionName = (typeof routes)[number]["name"];

export interface HandlerHarness {
  readonly db: TestDatabase;
  readonly tableName: string;
  readonly handlers: Readonly<Record<FunctionName, Handler>>;
}

/** Starts a database, creates a table, and imports every handler configured for it. */
export async function loadHandlers(): Promise<HandlerHarness> {
  const db = await startTestDatabase();
  const tableName = await db.createItemsTable();
  process.env.TABLE_NAME = tableName;
  const entries = await Promise.all(
    routes.map(async (route) => {
      const module = (await import(`../../${route.entry}`)) as { handler: Handler };
      return [route.name, module.handler] as const;
    }),
  );
  return { db, tableName, handlers: Object.fromEntries(entries) as Record<FunctionName, Handler> };
}

/** The parsed JSON body of a response. */
export function bodyOf<T = Record<string, unknown>>(response: HttpResponse): T {
  return JSON.parse(response.body ?? "null") as T;
}
