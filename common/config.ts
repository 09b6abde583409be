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
