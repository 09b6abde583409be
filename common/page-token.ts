/**
 * The `lk` page token: the id of the last item of a page, signed with the deployment's page-token
 * key (an HMAC-SHA-256, cut to 128 bits), base64url-encoded. Clients treat it as opaque. Only
 * this deployment can make one: a token altered, truncated, forged, or made under another key
 * (another stage, a rotated key) is refused (400) before it reaches DynamoDB.
 *
 * The id is carried as UTF-8, whatever it is: a row that another tool wrote under an id that is
 * not a KSUID still yields a token that the next request accepts.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { BadRequestError } from "./errors.ts";

const formatVersion = 2;
const macBytes = 16;
// DynamoDB's limit on a partition key.
const maxIdBytes = 2048;
const maxTokenLength = Math.ceil(((1 + macBytes + maxIdBytes) * 4) / 3);
const base64url = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Makes and reads the page tokens of one key. */
export interface PageTokens {
  /** The token that resumes a scan after `lastId`. */
  encode(lastId: string): string;
  /** The id to resume after; any defect, or another key, is a 400. */
  decode(token: string): string;
}

/** Page tokens signed with `key` (PAGE_TOKEN_KEY: see common/config.ts). */
export function pageTokensOf(key: string): PageTokens {
  const macOf = (id: Buffer) =>
    createHmac("sha256", key)
      .update("items-api/lk\0")
      .update(Buffer.of(formatVersion))
      .update(id)
      .digest()
      .subarray(0, macBytes);
  return {
    encode(lastId) {
      const id = Buffer.from(lastId, "utf8");
      return Buffer.concat([Buffer.of(formatVersion), macOf(id), id]).toString("base64url");
    },
    decode(token) {
      const bytes =
        token.length <= maxTokenLength && base64url.test(token)
          ? Buffer.from(token, "base64url")
          : Buffer.alloc(0);
      // One spelling per token: unused trailing bits must be zero, as encode writes them.
      if (bytes.length > 1 + macBytes && bytes[0] === formatVersion) {
        const id = bytes.subarray(1 + macBytes);
        const mac = bytes.subarray(1, 1 + macBytes);
        if (timingSafeEqual(macOf(id), mac) && bytes.toString("base64url") === token) {
          const text = textOf(id);
          if (text !== undefined) return text;
        }
      }
      throw new BadRequestError("The request query is invalid.", [
        { path: "lk", message: "must be a token from a previous page, unaltered" },
      ]);
    },
  };
}

function textOf(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined; // only a holder of the key could sign such bytes; still not an id
  }
}
