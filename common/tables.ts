/**
 * The shape of the DynamoDB tables, shared by the infrastructure (which creates them on AWS)
 * and the local server (which creates them in dynalite or DynamoDB Local when missing).
 */

/** The items table: one item per id, nothing else to index. */
export const itemsTable = {
  hashKey: "id",
  attributes: [{ name: "id", type: "S" }],
} as const;

/** CreateTable input (minus the name) for a local copy of a table. */
export function createTableInputOf(table: typeof itemsTable) {
  return {
    AttributeDefinitions: table.attributes.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: [{ AttributeName: table.hashKey, KeyType: "HASH" as const }],
    BillingMode: "PAY_PER_REQUEST" as const,
  };
}
