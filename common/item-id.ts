/**
 * Item ids: KSUIDs, 27 base62 characters. A fresh id is random and sorts by creation time; the
 * id of a create with an Idempotency-Key is derived from the request instead (`itemIdFor`).
 */
import { createHash } from "node:crypto";
import KSUID from "ksuid";

const base62Ksuid = /^[0-9A-Za-z]{27}$/;
// The largest KSUID (2^160 - 1 in base62): longer-valued strings of 27 characters overflow.
const maxKsuid = "aWgEPTl1tmebfsQzFP4bxwgy80V";

/** A new, random item id. */
export function newItemId(): string {
  return KSUID.randomSync().string;
}

/**
 * The id a keyed create gives its item: all 160 bits from a SHA-256 of what identifies the
 * request, so every retry of it writes (or finds) the same item. Its KSUID time is not a creation
 * time (the item's `createdAt` is).
 */
export function itemIdFor(request: unknown): string {
  const digest = createHash("sha256").update("items-api/item-id\0").update(JSON.stringify(request));
  return new KSUID(digest.digest().subarray(0, 20)).string;
}

/** Whether `value` is a well-formed KSUID string; base62 digits sort in ASCII order. */
export function isItemId(value: unknown): value is string {
  return typeof value === "string" && base62Ksuid.test(value) && value <= maxKsuid;
}
