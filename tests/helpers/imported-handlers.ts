/**
 * The five handlers imported from source against any endpoint and table, including ones that
 * do not work: a closed port, a faulty fake, a table that does not exist. Each handler reads its
 * configuration once, at import, so a test file can import them only once, for one setting.
 */
import "./quiet-output.ts";
import { createServer } from "node:net";
import { routes } from "../../common/routes.ts";
import { patientDynamoDbTimeoutMs, useLocalAwsEnvironment } from "./dynalite.ts";
import type { HandlerHarness } from "./handlers.ts";
import { testPageTokenKey } from "./handlers.ts";

export type Handlers = HandlerHarness["handlers"];

/** Options of `importHandlers`. */
export interface ImportOptions {
  /** Default: named after the items table (only requests with a key would use it). */
  readonly idempotencyTableName?: string;
  /**
   * "production" (default): the functions' own 1 s, for a database that stalls or is
   * unreachable. "patient": 30 s, where a busy machine must not turn a call into a 503.
   */
  readonly dynamoDbTimeouts?: "production" | "patient";
}

/** Imports every handler with TABLE_NAME and the DynamoDB endpoint set as given. */
export async function importHandlers(
  endpoint: string,
  tableName: string,
  options: ImportOptions = {},
): Promise<Handlers> {
  const { idempotencyTableName = `${tableName}-idempotency`, dynamoDbTimeouts } = options;
  useLocalAwsEnvironment(endpoint);
  if (dynamoDbTimeouts === "patient") {
    process.env.DYNAMODB_TIMEOUT_MS = String(patientDynamoDbTimeoutMs);
  } else delete process.env.DYNAMODB_TIMEOUT_MS;
  process.env.TABLE_NAME = tableName;
  process.env.IDEMPOTENCY_TABLE_NAME = idempotencyTableName;
  process.env.PAGE_TOKEN_KEY = testPageTokenKey;
  const entries = await Promise.all(
    routes.map(async (route) => {
      const module = (await import(`../../${route.entry}`)) as {
        handler: Handlers[keyof Handlers];
      };
      return [route.name, module.handler] as const;
    }),
  );
  return Object.fromEntries(entries) as Handlers;
}

/** A local endpoint on which nothing listens (connections are refused). */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}
