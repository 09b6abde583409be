/**
 * The five handlers imported from source against any endpoint and table, including ones that
 * do not work: a closed port, a faulty fake, a table that does not exist. Each handler reads its
 * configuration once, at import, so a test file can import them only once, for one setting.
 */
import "./quiet-output.ts";
import { createServer } from "node:net";
import { routes } from "../../common/routes.ts";
import { useLocalAwsEnvironment } from "./dynalite.ts";
import type { HandlerHarness } from "./handlers.ts";

export type Handlers = HandlerHarness["handlers"];

/**
 * Imports every handler with TABLE_NAME and the DynamoDB endpoint set as given (and an
 * idempotency table named after the items table, which only requests with a key would use), and
 * the production DynamoDB timeouts.
 */
export async function importHandlers(
  endpoint: string,
  tableName: string,
  idempotencyTableName = `${tableName}-idempotency`,
): Promise<Handlers> {
  useLocalAwsEnvironment(endpoint);
  delete process.env.DYNAMODB_TIMEOUT_MS; // production timeouts: these tests are about faults
  process.env.TABLE_NAME = tableName;
  process.env.IDEMPOTENCY_TABLE_NAME = idempotencyTableName;
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
