/**
 * The `lk` page token: the id of the last item of a page, with a version and an integrity check,
 * base64url-encoded. Clients treat it as opaque; an altered or truncated token is refused (400)
 * before it reaches DynamoDB. The check detects alteration, not a deliberate forgery; a forged
 * token can only start a scan after an id of the forger's choosing, which reveals nothing the
 * list does not already show.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { BadRequestError } from "./errors.ts";
import { isItemId } from "./item-id.ts";

const formatVersion = 1;
const checkBytes = 8;
const idBytes = 27;
const tokenBytes = 1 + idBytes + checkBytes;
// 36 bytes encode to exactly 48 characters with no spare bits, so each token has one spelling.
const wellFormed = /^[A-Za-z0-9_-]{48}$/;

function checksumOf(versionAndId: Buffer): Buffer {
  return createHash("sha256")
    .update("items-api/lk\0")
    .update(versionAndId)
    .digest()
    .subarray(0, checkBytes);
}

/** Encodes the token that resumes a scan after `lastId`. */
export function encodePageToken(lastId: string): string {
  const versionAndId = Buffer.concat([Buffer.of(formatVersion), Buffer.from(lastId, "latin1")]);
  return Buffer.concat([versionAndId, checksumOf(versionAndId)]).toString("base64url");
}

/** Decodes a token into the id to resume after; any defect is a 400. */
export function decodePageToken(token: string): string {
  const bytes = wellFormed.test(token) ? Buffer.from(token, "base64url") : Buffer.alloc(0);
  if (bytes.length === tokenBytes && bytes[0] === formatVersion) {
    const versionAndId = bytes.subarray(0, 1 + idBytes);
    const id = versionAndId.subarray(1).toString("latin1");
    if (timingSafeEqual(checksumOf(versionAndId), bytes.subarray(1 + idBytes)) && isItemId(id)) {
      return id;
    }
  }
  throw new BadRequestError("The request query is invalid.", [
    { path: "lk", message: "must be a token from a previous page, unaltered" },
  ]);
}
