/**
 * The shape of the DynamoDB tables, shared by the infrastructure (which creates them on AWS)
 * and the local server (which creates them in dynalite or DynamoDB Local when missing).
 */

/** The items table: one item per id, nothing else to index. */
export const itemsTable = {
  hashKey: "id",
  attributes: [{ name: "id", type: "S" }],
} as const;

/**
 * The idempotency table of `POST /` (Powertools' DynamoDB persistence layer, common/idempotency.ts):
 * one record per hashed Idempotency-Key, removed by DynamoDB's TTL once `expiration` (epoch
 * seconds) has passed. TTL deletes late (within days), so expiry itself is judged by Powertools'
 * own condition on `expiration`, not by the record's absence.
 */
export const idempotencyTable = {
  hashKey: "id",
  attributes: [{ name: "id", type: "S" }],
  ttlAttribute: "expiration",
} as const;

/** CreateTable input (minus the name) for a local copy of a table; TTL is set apart, if at all. */
export function createTableInputOf(table: typeof itemsTable | typeof idempotencyTable) {
  return {
    AttributeDefinitions: table.attributes.map((a) => ({
      AttributeName: a.name,
      AttributeType: a.type,
    })),
    KeySchema: [{ AttributeName: table.hashKey, KeyType: "HASH" as const }],
    BillingMode: "PAY_PER_REQUEST" as const,
  };
}
