/**
 * Hostile request bodies for `POST /` and `PUT /{id}`: broken and truncated JSON, values that
 * are not objects, deep nesting, oversized strings and bodies, wrong types, prototype keys,
 * control characters, lone surrogates and invalid UTF-8. Every one must be refused.
 */

/** A body and the refusal it must get: a status and, for a 400, the fields it must name. */
export interface HostileBody {
  readonly title: string;
  readonly body: string | Buffer;
  readonly status: 400 | 413;
  readonly fields?: readonly string[];
}

const valid = '{"name":"n","description":"d"}';
const withName = (name: unknown) => JSON.stringify({ name, description: "d" });
const withDescription = (description: unknown) => JSON.stringify({ name: "n", description });
const withExtra = (key: string, value: unknown) =>
  `{"name":"n","description":"d",${JSON.stringify(key)}:${JSON.stringify(value)}}`;
const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
/** A valid-looking body of exactly `total` bytes. */
const sized = (total: number) => withDescription("d".repeat(total - withDescription("").length));
const nested = (depth: number, open: string, leaf: string, close: string) =>
  open.repeat(depth) + leaf + close.repeat(depth);

export const hostileBodies: readonly HostileBody[] = [
  // Malformed and truncated JSON
  { title: "an empty body", body: "", status: 400 },
  { title: "a body of white space only", body: " \n\t\r ", status: 400 },
  { title: "a lone opening brace", body: "{", status: 400 },
  { title: "JSON cut off inside a key", body: '{"name":"n","descr', status: 400 },
  { title: "JSON cut off before its closing brace", body: valid.slice(0, -1), status: 400 },
  { title: "JSON with a trailing comma", body: '{"name":"n","description":"d",}', status: 400 },
  { title: "single-quoted JSON", body: "{'name':'n','description':'d'}", status: 400 },
  { title: "JSON with unquoted keys", body: '{name:"n",description:"d"}', status: 400 },
  { title: "two JSON objects in a row", body: valid + valid, status: 400 },
  { title: "garbage after the object", body: `${valid}xyz`, status: 400 },
  { title: "a comment before the object", body: `// note\n${valid}`, status: 400 },
  { title: "an invalid escape sequence", body: '{"name":"\\x41","description":"d"}', status: 400 },
  { title: "a truncated \\u escape", body: '{"name":"\\u12","description":"d"}', status: 400 },
  { title: "the bare word NaN", body: "NaN", status: 400 },
  // JSON values that are not an object
  { title: "an empty JSON array", body: "[]", status: 400 },
  { title: "an array holding a valid item", body: `[${valid}]`, status: 400 },
  { title: "a JSON string", body: '"n"', status: 400 },
  { title: "a JSON number", body: "42", status: 400 },
  { title: "JSON null", body: "null", status: 400 },
  { title: "JSON true", body: "true", status: 400 },
  { title: "an empty object", body: "{}", status: 400, fields: ["name", "description"] },
  // Deep nesting, within the 64 KiB limit
  { title: "arrays nested 8,000 deep", body: nested(8000, "[", "", "]"), status: 400 },
  {
    title: "a name of objects nested 2,000 deep",
    body: `{"name":${nested(2000, '{"a":', "1", "}")},"description":"d"}`,
    status: 400,
    fields: ["name"],
  },
  {
    title: "an unknown field holding arrays nested 5,000 deep",
    body: `{"name":"n","description":"d","x":${nested(5000, "[", "", "]")}}`,
    status: 400,
    fields: ["x"],
  },
  // Huge strings and bodies
  { title: "a 201-character name", body: withName("n".repeat(201)), status: 400, fields: ["name"] },
  { title: "a name of 201 emoji", body: withName("😀".repeat(201)), status: 400, fields: ["name"] },
  {
    title: "a 10,000-character name",
    body: withName("n".repeat(10_000)),
    status: 400,
    fields: ["name"],
  },
  {
    title: "a 2,001-character description",
    body: withDescription("d".repeat(2001)),
    status: 400,
    fields: ["description"],
  },
  { title: "a body of 65,537 bytes", body: sized(65_537), status: 413 },
  { title: "a body of 1 MiB", body: sized(1024 * 1024), status: 413 },
  // Wrong types, nulls and missing fields
  { title: "a name that is a number", body: withName(1), status: 400, fields: ["name"] },
  { title: "a name that is true", body: withName(true), status: 400, fields: ["name"] },
  { title: "a name that is null", body: withName(null), status: 400, fields: ["name"] },
  { title: "a name that is an array", body: withName(["n"]), status: 400, fields: ["name"] },
  { title: "a name that is an object", body: withName({ n: 1 }), status: 400, fields: ["name"] },
  {
    title: "a description that is a number",
    body: withDescription(0),
    status: 400,
    fields: ["description"],
  },
  {
    title: "a description that is null",
    body: withDescription(null),
    status: 400,
    fields: ["description"],
  },
  { title: "no name", body: '{"description":"d"}', status: 400, fields: ["name"] },
  { title: "no description", body: '{"name":"n"}', status: 400, fields: ["description"] },
  {
    title: "wrong types in both fields",
    body: '{"name":[],"description":{}}',
    status: 400,
    fields: ["name", "description"],
  },
  { title: "an empty name", body: withName(""), status: 400, fields: ["name"] },
  { title: "a name of spaces only", body: withName("   "), status: 400, fields: ["name"] },
  {
    title: "a name of no-break and ideographic spaces only",
    body: withName("\u00a0\u3000\u2003"),
    status: 400,
    fields: ["name"],
  },
  // Fields the server owns, and prototype keys
  // (POST refuses them all; PUT takes back the item as GET returns it, so only bad values.)
  { title: "a version of -1", body: withExtra("version", -1), status: 400, fields: ["version"] },
  {
    title: "a createdAt that is a number",
    body: withExtra("createdAt", 946684800000),
    status: 400,
    fields: ["createdAt"],
  },
  {
    title: "a __proto__ field",
    body: withExtra("__proto__", { isAdmin: true }),
    status: 400,
    fields: ["__proto__"],
  },
  {
    title: "the fields hidden inside __proto__",
    body: '{"__proto__":{"name":"n","description":"d"}}',
    status: 400,
  },
  {
    title: "a constructor.prototype field",
    body: withExtra("constructor", { prototype: { isAdmin: true } }),
    status: 400,
    fields: ["constructor"],
  },
  {
    title: "a prototype field",
    body: withExtra("prototype", {}),
    status: 400,
    fields: ["prototype"],
  },
  {
    title: "a toString field",
    body: withExtra("toString", "x"),
    status: 400,
    fields: ["toString"],
  },
  {
    title: "a hasOwnProperty field",
    body: withExtra("hasOwnProperty", 1),
    status: 400,
    fields: ["hasOwnProperty"],
  },
  // Control characters and NUL bytes
  {
    title: "an escaped NUL in the name",
    body: withName("a\u0000b"),
    status: 400,
    fields: ["name"],
  },
  {
    title: "an escaped NUL in the description",
    body: withDescription("a\u0000b"),
    status: 400,
    fields: ["description"],
  },
  {
    title: "a raw NUL byte inside a string",
    body: bytes('{"name":"a', [0], 'b","description":"d"}'),
    status: 400,
  },
  { title: "a NUL byte after the object", body: bytes(valid, [0]), status: 400 },
  {
    title: "a bell character in the description",
    body: withDescription("ding\u0007"),
    status: 400,
    fields: ["description"],
  },
  { title: "a tab in the name", body: withName("a\tb"), status: 400, fields: ["name"] },
  { title: "DEL (U+007F) in the name", body: withName("a\u007fb"), status: 400, fields: ["name"] },
  // Lone surrogates and invalid UTF-8
  {
    title: "an escaped lone high surrogate in the name",
    body: '{"name":"a\\ud800","description":"d"}',
    status: 400,
    fields: ["name"],
  },
  {
    title: "an escaped lone low surrogate in the description",
    body: '{"name":"n","description":"\\udc00"}',
    status: 400,
    fields: ["description"],
  },
  {
    title: "surrogates in the wrong order",
    body: '{"name":"\\udc00\\ud800","description":"d"}',
    status: 400,
    fields: ["name"],
  },
  {
    title: "a raw 0xFF byte",
    body: bytes('{"name":"', [0xff], '","description":"d"}'),
    status: 400,
  },
  {
    title: "an overlong UTF-8 encoding of '/'",
    body: bytes('{"name":"', [0xc0, 0xaf], '","description":"d"}'),
    status: 400,
  },
  {
    title: "a surrogate encoded in UTF-8 (CESU-8)",
    body: bytes('{"name":"', [0xed, 0xa0, 0x80], '","description":"d"}'),
    status: 400,
  },
  {
    title: "a multi-byte UTF-8 sequence cut short",
    body: bytes('{"name":"n","description":"', [0xe2, 0x82], '"}'),
    status: 400,
  },
  {
    title: "a UTF-16 body with a byte-order mark",
    body: Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(valid, "utf16le")]),
    status: 400,
  },
];
