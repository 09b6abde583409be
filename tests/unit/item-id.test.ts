import test from "ava";
import KSUID from "ksuid";
import { isItemId, newItemId } from "../../common/item-id.ts";

test("new ids are 27 base62 characters and well-formed", (t) => {
  for (let i = 0; i < 1000; i++) {
    const id = newItemId();
    t.regex(id, /^[0-9A-Za-z]{27}$/);
    t.true(isItemId(id));
  }
});

test("new ids are distinct", (t) => {
  const fresh = new Set(Array.from({ length: 10_000 }, newItemId));
  t.is(fresh.size, 10_000);
});

test("new ids are KSUIDs of the current time", (t) => {
  const before = Math.floor(Date.now() / 1000) * 1000;
  const id = KSUID.parse(newItemId());
  const after = Date.now();
  t.true(id.date.getTime() >= before && id.date.getTime() <= after);
});

const accepts = test.macro({
  exec(t, value: string) {
    t.true(isItemId(value));
  },
  title: (providedTitle = "", value) => `accepts ${providedTitle || JSON.stringify(value)}`,
});
test("the smallest KSUID", accepts, "000000000000000000000000000");
test("the largest KSUID", accepts, "aWgEPTl1tmebfsQzFP4bxwgy80V");
test("the KSUID just below the largest", accepts, "aWgEPTl1tmebfsQzFP4bxwgy80U");
test("a KSUID of the reference implementation's docs", accepts, "0ujtsYcgvSTl8PAuAdqWYSMnLOv");
test("a KSUID with every kind of digit", accepts, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE");

test("the largest KSUID is 2^160 - 1", (t) => {
  t.is(new KSUID(Buffer.alloc(20, 0xff)).string, "aWgEPTl1tmebfsQzFP4bxwgy80V");
});

const rejects = test.macro({
  exec(t, value: unknown) {
    t.false(isItemId(value));
  },
  title: (providedTitle = "", value) =>
    `rejects ${providedTitle || (typeof value === "string" ? JSON.stringify(value) : String(value))}`,
});
test("an empty string", rejects, "");
test("26 characters", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sb");
test("28 characters", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbEE");
test("a dash", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sb-");
test("an underscore", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sb_");
test("a space", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sb ");
test("a leading space", rejects, " 2zZyQ3nmbqxsHDjGJN1Ffpm4sb");
test("a trailing line feed", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE\n");
test("a non-ASCII letter", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sbé");
test("a fullwidth digit", rejects, "2zZyQ3nmbqxsHDjGJN1Ffpm4sb１");
test("a UUID", rejects, "123e4567-e89b-12d3-a456-426614174000");
test("the value just above the largest KSUID", rejects, "aWgEPTl1tmebfsQzFP4bxwgy80W");
test("a value far above the largest KSUID", rejects, "zzzzzzzzzzzzzzzzzzzzzzzzzzz");
test("a value whose first digit is above the largest", rejects, "b00000000000000000000000000");
test("a path traversal", rejects, "../../../../../etc/passwd00");
test("undefined", rejects, undefined);
test("null", rejects, null);
test("a number", rejects, 12345);
test("an array holding an id", rejects, ["2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"]);
test("a String object", rejects, Object("2zZyQ3nmbqxsHDjGJN1Ffpm4sbE"));
test("an object that prints as an id", rejects, { toString: () => "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE" });
