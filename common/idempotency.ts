/**
 * Idempotent create (API.md, `Idempotency-Key`), with Powertools' idempotency utility and its
 * DynamoDB persistence layer. The first request with a key writes an in-progress record, runs
 * the create and stores its answer; a repeat with the same body within 24 hours gets that answer
 * back. Powertools' own errors become HTTP errors here, and nowhere else.
 *
 * Whose key: with a JWT authorizer, a record belongs to the caller (issuer and subject), so the
 * same key from two callers is two requests, and neither sees a replay, 409 or 422 caused by the
 * other. Without an authorizer every client is one anonymous caller and a key is global: a
 * client that sends another's key with the same body gets its answer replayed (keys are meant to
 * be unguessable, e.g. UUIDs).
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyInconsistentStateError,
  IdempotencyItemNotFoundError,
  IdempotencyPersistenceLayerError,
  IdempotencyValidationError,
  makeIdempotent,
} from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { Context } from "aws-lambda";
import type { Caller } from "./caller.ts";
import { translateDynamoDbError } from "./dynamodb-errors.ts";
import { ConflictError, UnprocessableContentError } from "./errors.ts";
import type { HttpResponse } from "./http.ts";
import { idempotencyTable } from "./tables.ts";

/** How long a key is remembered: API.md's 24 hours. */
export const idempotencyWindowSeconds = 24 * 60 * 60;

/** The header a replayed answer carries. */
export const replayedHeader = "idempotent-replayed";

/** An Idempotency-Key, and whose it is: `null` without an authorizer. */
export interface RequestKey {
  readonly caller: Caller | null;
  readonly key: string;
}

/**
 * What identifies a request (`key`, hashed into the record's id) and what a repeat must match
 * (`body`, as decoded JSON). Without a caller, `key` is the header alone, as it always was.
 */
interface IdempotentRequest {
  readonly key:
    | string
    | { readonly issuer: string; readonly subject: string; readonly key: string };
  readonly body: unknown;
}

type Work = () => Promise<HttpResponse>;

/** Runs work at most once per key; later requests with the key replay its answer. */
export class IdempotentRequests {
  readonly #config: IdempotencyConfig;
  readonly #store: DynamoDBPersistenceLayer;
  readonly #once: (request: IdempotentRequest, work: Work) => Promise<HttpResponse>;

  /** `keyPrefix` names the operation, so the same key on another one could never collide. */
  constructor(client: DynamoDBClient, tableName: string, keyPrefix: string) {
    this.#config = new IdempotencyConfig({
      eventKeyJmesPath: "key",
      // The decoded body, compared as JSON (key order and white space do not matter).
      payloadValidationJmesPath: "body",
      expiresAfterSeconds: idempotencyWindowSeconds,
      // md5 is Powertools' default; a client chooses keys, so take a hash no one can collide.
      hashFunction: "sha256",
      // Runs on replays only: the stored answer, marked as such.
      responseHook: (response) => markReplayed(response as HttpResponse) as never,
    });
    this.#store = new DynamoDBPersistenceLayer({
      tableName,
      awsSdkV3Client: client,
      keyAttr: idempotencyTable.hashKey,
      expiryAttr: idempotencyTable.ttlAttribute,
    });
    this.#once = makeIdempotent((_request: IdempotentRequest, work: Work) => work(), {
      persistenceStore: this.#store,
      config: this.#config,
      keyPrefix,
      dataIndexArgument: 0,
    });
  }

  /**
   * Answers as the first request with this key did, or runs `work` when there was none. Only an
   * answer is stored: when `work` throws, or its answer cannot be stored, the record is deleted
   * and the client may retry (with a fixed body, or the same one).
   * The context makes an in-progress record expire when the function times out, so a request
   * that crashed does not lock its key for the whole window.
   */
  async run(requestKey: RequestKey, body: unknown, context: Context | undefined, work: Work) {
    if (context) this.#config.registerLambdaContext(context);
    const { caller, key } = requestKey;
    const request = { key: caller ? { ...caller, key } : key, body };
    let worked = false;
    try {
      return await this.#once(request, async () => {
        const response = await work();
        worked = true;
        return response;
      });
    } catch (error) {
      // The work was done but its answer could not be stored: let go of the key now (best
      // effort), rather than at the in-progress expiry, so the client's retry runs at once. The
      // create's id is derived from the request, so that retry finds the item, never a second.
      if (worked && error instanceof IdempotencyPersistenceLayerError) {
        const record = request as Parameters<DynamoDBPersistenceLayer["deleteRecord"]>[0];
        await this.#store.deleteRecord(record).catch(() => {});
      }
      throw httpErrorOf(error);
    }
  }
}

function markReplayed(response: HttpResponse): HttpResponse {
  return { ...response, headers: { ...response.headers, [replayedHeader]: "true" } };
}

/** Powertools' outcomes as HTTP errors; anything else (the work's own errors) unchanged. */
function httpErrorOf(error: unknown): unknown {
  if (error instanceof IdempotencyValidationError) {
    return new UnprocessableContentError(
      "This Idempotency-Key was used with a different request body in the last 24 hours.",
    );
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new ConflictError(
      "A request with this Idempotency-Key is still in progress; retry once it has completed.",
    );
  }
  // The first request failed (and let go of its key) or its record expired while this one read it.
  if (
    error instanceof IdempotencyItemNotFoundError ||
    error instanceof IdempotencyInconsistentStateError
  ) {
    return new ConflictError(
      "A request with this Idempotency-Key changed state while this one was processed; retry.",
    );
  }
  // Throttling or an outage of the idempotency table is a 503 like any other; else the cause.
  if (error instanceof IdempotencyPersistenceLayerError) {
    return translateDynamoDbError(error.cause ?? error);
  }
  return error;
}
