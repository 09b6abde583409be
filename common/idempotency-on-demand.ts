/**
 * The create function's idempotency, loaded on demand: Powertools' idempotency utility (about a
 * fifth of the create bundle) is imported by the first request that carries an Idempotency-Key,
 * so a cold start, and every instance that never sees a key, pays nothing for it. The build
 * puts it in a chunk of its own next to the function's index.mjs (scripts/build/build.ts).
 */
import { readIdempotencyTableName } from "./config.ts";
import { createDynamoDbClient } from "./dynamodb.ts";
import type { IdempotentRequests } from "./idempotency.ts";

/**
 * Idempotent requests on a client of their own that resends only calls DynamoDB provably did not
 * apply: a conditional put resent after its answer was lost would find its own in-progress
 * record and answer 409 to the very request that wrote it. The table's name is read at load (a
 * missing one fails the cold start); the utility and its client come with the first request
 * with a key.
 */
export function idempotentRequestsFromEnvironment(
  keyPrefix: string,
): Pick<IdempotentRequests, "run"> {
  const tableName = readIdempotencyTableName();
  let loading: Promise<IdempotentRequests> | undefined;
  const load = () =>
    import("./idempotency.ts").then(
      ({ IdempotentRequests }) =>
        new IdempotentRequests(createDynamoDbClient("unapplied"), tableName, keyPrefix),
      (error: unknown) => {
        loading = undefined; // the next request with a key tries again
        throw error;
      },
    );
  return {
    run: async (...args) => {
      loading ??= load();
      return (await loading).run(...args);
    },
  };
}
