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
