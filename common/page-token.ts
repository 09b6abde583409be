/**
 * The `lk` page token: the id of the last item of a page, signed with the deployment's page-token
 * key (an HMAC-SHA-256, cut to 120 bits), base64url-encoded. Clients treat it as opaque. Only
 * this deployment can make one: a token altered, truncated, forged, or made under another key
 * (another stage, a rotated key) is refused (400) before it reaches DynamoDB.
 *
 * A KSUID travels as its 20 bytes: 1 + 15 + 20 = 36 bytes, 48 characters. Any other id (a row
 * another tool wrote) travels as UTF-8, so its token, longer or shorter, is accepted just the same
 * by the next request.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { BadRequestError } from "./errors.ts";
import { isItemId } from "./item-id.ts";

/** The first byte: how the id is carried. */
const ksuidForm = 2;
const textForm = 3;
const macBytes = 15;
const ksuidBytes = 20;
// DynamoDB's limit on a partition key.
const maxIdBytes = 2048;
const maxTokenLength = Math.ceil(((1 + macBytes + maxIdBytes) * 4) / 3);
/** What a token is made of: base64url, no padding. */
export const base64url = /^[A-Za-z0-9_-]+$/;
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
  const macOf = (form: number, id: Buffer) =>
    createHmac("sha256", key)
      .update("items-api/lk\0")
      .update(Buffer.of(form))
      .update(id)
      .digest()
      .subarray(0, macBytes);
  const sign = (form: number, id: Buffer) =>
    Buffer.concat([Buffer.of(form), macOf(form, id), id]).toString("base64url");
  return {
    encode(lastId) {
      if (isItemId(lastId)) return sign(ksuidForm, ksuidBytesOf(lastId));
      return sign(textForm, Buffer.from(lastId, "utf8"));
    },
    decode(token) {
      const bytes =
        token.length <= maxTokenLength && base64url.test(token)
          ? Buffer.from(token, "base64url")
          : Buffer.alloc(0);
      const [form = 0] = bytes;
      const id = bytes.subarray(1 + macBytes);
      const wellFormed =
        (form === ksuidForm && id.length === ksuidBytes) || (form === textForm && id.length > 0);
      // One spelling per token: unused trailing bits must be zero, as encode writes them.
      if (
        wellFormed &&
        timingSafeEqual(macOf(form, id), bytes.subarray(1, 1 + macBytes)) &&
        bytes.toString("base64url") === token
      ) {
        const text = form === ksuidForm ? ksuidOf(id) : textOf(id);
        if (text !== undefined) return text;
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

// A KSUID is its 20 bytes as a big-endian number in base62, 27 digits (`isItemId` admits only
// those). Written out here rather than with the ksuid package: that would add 4 KB to the list
// bundle for two conversions (tests check these against it).
const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The 20 bytes of a well-formed KSUID string. */
export function ksuidBytesOf(id: string): Buffer {
  let value = 0n;
  for (const digit of id) value = value * 62n + BigInt(base62.indexOf(digit));
  return Buffer.from(value.toString(16).padStart(2 * ksuidBytes, "0"), "hex");
}

/** The KSUID string of 20 bytes. */
export function ksuidOf(bytes: Uint8Array): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
  let text = "";
  for (let i = 0; i < 27; i++) {
    text = base62[Number(value % 62n)] + text;
    value /= 62n;
  }
  return text;
}
