/** Configuration of a function, read once per cold start from its environment. */
export interface Config {
  /** Name of the DynamoDB items table. */
  readonly tableName: string;
}

/** Reads the configuration, failing fast with a message that says how to fix it. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tableName = env.TABLE_NAME?.trim();
  if (!tableName) {
    throw new Error(
      "TABLE_NAME is not set: it must name the DynamoDB items table. The deployed stack and " +
        "`npm start` set it; elsewhere, export TABLE_NAME=<your table>.",
    );
  }
  return { tableName };
}

/**
 * The idempotency table's name (IDEMPOTENCY_TABLE_NAME). Only the create function reads it, so
 * only its environment needs it; a function that does not call this never fails for its absence.
 */
export function readIdempotencyTableName(env: NodeJS.ProcessEnv = process.env): string {
  const tableName = env.IDEMPOTENCY_TABLE_NAME?.trim();
  if (!tableName) {
    throw new Error(
      "IDEMPOTENCY_TABLE_NAME is not set: the create function keeps Idempotency-Key records in " +
        "that DynamoDB table. The deployed stack and `npm start` set it; elsewhere, export " +
        "IDEMPOTENCY_TABLE_NAME=<your table>.",
    );
  }
  return tableName;
}

/** The shortest page-token key accepted: a UUID (what the stack generates) is 36 characters. */
export const minPageTokenKeyLength = 32;

/**
 * The key that signs page tokens (PAGE_TOKEN_KEY). Only the list function reads it; the deployed
 * stack generates one per stage, `npm start` keeps one with its data.
 */
export function readPageTokenKey(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.PAGE_TOKEN_KEY ?? "";
  if (key.length < minPageTokenKeyLength) {
    throw new Error(
      `PAGE_TOKEN_KEY is ${key ? "too short" : "not set"}: the list function signs page tokens ` +
        `with it (at least ${minPageTokenKeyLength} characters). The deployed stack and \`npm start\` ` +
        `set it; elsewhere, export PAGE_TOKEN_KEY=<${minPageTokenKeyLength} or more random characters>.`,
    );
  }
  return key;
}
