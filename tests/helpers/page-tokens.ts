/**
 * Page tokens made the way docs/API.md describes them, written here independently of
 * common/page-token.ts so the tests check the code against the layout, not against itself: a form
 * byte, the first 15 bytes of an HMAC-SHA-256 over a domain prefix, the form and the id, then
 * the id, all base64url.
 */
import { createHmac } from "node:crypto";

/** A token of `form` around `idBytes`, signed with `signingKey`. */
export function signedTokenOf(signingKey: string, form: number, idBytes: Buffer): string {
  const mac = createHmac("sha256", signingKey)
    .update("items-api/lk\0")
    .update(Buffer.of(form))
    .update(idBytes)
    .digest()
    .subarray(0, 15);
  return Buffer.concat([Buffer.of(form), mac, idBytes]).toString("base64url");
}
