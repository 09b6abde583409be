/**
 * Reading an API Gateway payload 2.0 event: headers, the path id, the query and the JSON body.
 * Every defect becomes the 4xx API.md gives it, before any work is done.
 */
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  BadRequestError,
  ContentTooLargeError,
  NotFoundError,
  UnsupportedMediaTypeError,
} from "./errors.ts";
import { isItemId } from "./item-id.ts";
import { limits } from "./limits.ts";
import type { PageTokens } from "./page-token.ts";

/**
 * Largest accepted request body, in bytes after base64 decoding. The field rules bound an item's
 * content; this only bounds the transport, with room for any JSON encoding of a valid item: 200 +
 * 2,000 emoji written as `\u` escapes (as Python's `json.dumps` sends them) are about 26 KB.
 */
export const maxBodyBytes = 64 * 1024;

/** A header's value; API Gateway lower-cases names and joins repeated headers with commas. */
export function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers?.[name];
}

/** The `{id}` path parameter; an id that is not a KSUID cannot exist, so it is a 404. */
export function itemIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id;
  if (!isItemId(id)) throw new NotFoundError();
  return id;
}

// `application/json`, optionally with parameters; only a UTF-8 charset is accepted. A comma
// means API Gateway joined repeated Content-Type headers: not one media type, so not JSON.
const jsonMediaType = /^application\/json\s*(;[^,]*)?$/i;
const charsetParameter = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

function isJsonContentType(contentType: string | undefined): boolean {
  const match = contentType === undefined ? null : jsonMediaType.exec(contentType.trim());
  if (!match) return false;
  const charset = charsetParameter.exec(match[1] ?? "")?.[1]?.toLowerCase();
  return charset === undefined || charset === "utf-8" || charset === "utf8";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The body as parsed JSON: 415 unless JSON, 413 when too large, 400 unless valid UTF-8 JSON. */
export function jsonBodyOf(event: APIGatewayProxyEventV2): unknown {
  if (!isJsonContentType(headerOf(event, "content-type"))) throw new UnsupportedMediaTypeError();
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(raw, "base64") : Buffer.from(raw, "utf8");
  if (bytes.length > maxBodyBytes) throw new ContentTooLargeError(maxBodyBytes);
  if (bytes.length === 0)
    throw new BadRequestError("The request body is empty; send a JSON object.");
  // Text that API Gateway already decoded can hold lone surrogates, which no UTF-8 encodes and
  // which Buffer.from above silently turned into U+FFFD.
  if (!event.isBase64Encoded && !raw.isWellFormed())
    throw new BadRequestError("The request body is not valid UTF-8.");
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new BadRequestError("The request body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError("The request body is not valid JSON.");
  }
}

// RFC 5234's VCHAR: printable ASCII without the space. API Gateway joins a repeated header
// with commas, which stay within it: two keys are then one (longer) key.
const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key` of a create: `undefined` when absent; 400 unless 1 to 255 visible ASCII
 * characters, checked before the body or the database is looked at.
 */
export function idempotencyKeyOf(event: APIGatewayProxyEventV2): string | undefined {
  const key = headerOf(event, "idempotency-key");
  if (key === undefined || idempotencyKeyPattern.test(key)) return key;
  throw new BadRequestError("The Idempotency-Key header is invalid.", [
    { path: "Idempotency-Key", message: "must be 1 to 255 visible ASCII characters" },
  ]);
}

/** What the client asked of `GET /`: a page size and where to resume. */
export interface PageRequest {
  readonly limit: number;
  readonly after: string | undefined;
}

// Canonical decimal only: "010" is refused like "0100", as the Link header never spells it so.
const decimal = /^[1-9][0-9]{0,2}$/;

/** Reads `limit` and `lk` (a token of `tokens`); every invalid parameter is reported at once. */
export function pageRequestOf(
  event: APIGatewayProxyEventV2,
  tokens: Pick<PageTokens, "decode">,
): PageRequest {
  const { limit: rawLimit, lk } = event.queryStringParameters ?? {};
  const errors = [];
  let limit: number = limits.pageSizeDefault;
  if (rawLimit !== undefined) {
    limit = decimal.test(rawLimit) ? Number(rawLimit) : Number.NaN;
    if (!(limit >= 1 && limit <= limits.pageSizeMax)) {
      errors.push({ path: "limit", message: "must be an integer from 1 to 100" });
    }
  }
  let after: string | undefined;
  if (lk !== undefined) {
    try {
      after = tokens.decode(lk);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      errors.push(...error.errors);
    }
  }
  if (errors.length > 0) throw new BadRequestError("The request query is invalid.", errors);
  return { limit, after };
}

/**
 * `If-Match`, for a conditional write: `undefined` when absent, `"*"` for any current version,
 * or the versions it names. Only strong tags of the form `"<version>"` can match (RFC 9110's
 * strong comparison), so a header that names none yields `[]`: no version satisfies it.
 */
export function ifMatchOf(event: APIGatewayProxyEventV2): "*" | readonly number[] | undefined {
  const header = headerOf(event, "if-match");
  if (header === undefined) return undefined;
  if (header.trim() === "*") return "*";
  return versionsIn(header, /^"([1-9][0-9]{0,14})"$/);
}

/**
 * The versions an update may apply to: `If-Match`, narrowed by the `version` of the body (the item
 * as it was read). A body version the header does not name contradicts it: 400, as neither can
 * be the one the client meant.
 */
export function preconditionOf(
  ifMatch: "*" | readonly number[] | undefined,
  bodyVersion: number | undefined,
): "*" | readonly number[] | undefined {
  if (bodyVersion === undefined) return ifMatch;
  if (ifMatch === undefined || ifMatch === "*" || ifMatch.includes(bodyVersion))
    return [bodyVersion];
  throw new BadRequestError("The body's version contradicts the If-Match header.", [
    { path: "version", message: "must be a version that If-Match names" },
  ]);
}

/** `If-None-Match` for a read: `"*"`, or the versions it names (weak comparison). */
export function ifNoneMatchOf(event: APIGatewayProxyEventV2): "*" | readonly number[] | undefined {
  const header = headerOf(event, "if-none-match");
  if (header === undefined) return undefined;
  if (header.trim() === "*") return "*";
  return versionsIn(header, /^(?:W\/)?"([1-9][0-9]{0,14})"$/);
}

function versionsIn(header: string, entityTag: RegExp): number[] {
  const versions = new Set<number>();
  for (const tag of header.split(",")) {
    const version = entityTag.exec(tag.trim())?.[1];
    if (version !== undefined) versions.add(Number(version));
  }
  // DynamoDB's IN takes at most 100 values; no real client sends more than a handful.
  return [...versions].slice(0, 100);
}
