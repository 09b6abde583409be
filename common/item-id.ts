/** Item ids: KSUIDs, 27 base62 characters that sort by creation time. */
import KSUID from "ksuid";
import { itemIdPattern } from "./item-fields.ts";

const base62Ksuid = new RegExp(itemIdPattern);
// The largest KSUID (2^160 - 1 in base62): longer-valued strings of 27 characters overflow.
const maxKsuid = "aWgEPTl1tmebfsQzFP4bxwgy80V";

/** A new, random item id. */
export function newItemId(): string {
  return KSUID.randomSync().string;
}

/** Whether `value` is a well-formed KSUID string; base62 digits sort in ASCII order. */
export function isItemId(value: unknown): value is string {
  return typeof value === "string" && base62Ksuid.test(value) && value <= maxKsuid;
}
