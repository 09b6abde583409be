/**
 * The ways a client may encode one JSON object: raw UTF-8 or every non-ASCII character as `\u`
 * escapes, compact or pretty-printed. `pythonJsonDumps` writes what Python's `json.dumps` does by
 * default (and so `requests.post(json=...)`): ASCII escapes, `", "` and `": "` separators.
 */

/** JSON text with every character above U+007F written as a `\u` escape (UTF-16 units). */
function asciiOnly(json: string): string {
  return json.replace(
    /[\u0080-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Python's `json.dumps(value)` of a flat object of strings, with its defaults. */
export function pythonJsonDumps(value: Record<string, string>): string {
  const entries = Object.entries(value).map(
    ([key, field]) => `${JSON.stringify(key)}: ${JSON.stringify(field)}`,
  );
  return asciiOnly(`{${entries.join(", ")}}`);
}

/** Every encoding of `value` a client may send, by name. */
export function jsonEncodings(value: Record<string, string>): Record<string, string> {
  return {
    "raw UTF-8, compact": JSON.stringify(value),
    "raw UTF-8, pretty-printed": JSON.stringify(value, null, 2),
    "ASCII escapes, compact": asciiOnly(JSON.stringify(value)),
    "ASCII escapes, pretty-printed": asciiOnly(JSON.stringify(value, null, 4)),
    "Python's json.dumps": pythonJsonDumps(value),
  };
}
