/**
 * The Powertools swaps of scripts/lambda-only-sdk.ts: the parts of Powertools' idempotency
 * utility that our configuration (common/idempotency.ts) never runs, and the build-time check
 * that the configuration still fits them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Swap } from "./lambda-only-sdk.ts";

// Powertools' idempotency utility evaluates its JMESPath expressions with a whole JMESPath
// engine (built-in functions, Powertools' decoders, error classes) and can keep a local cache.
// Our configuration uses neither: its only expressions are plain field names ("key", "body"),
// which the lexer, parser and interpreter evaluate without calling a function, raising an
// error or consulting the cache. The build checks that this still holds before it leaves them
// out (see assertPlainIdempotencyConfig).
const jmespath = "@aws-lambda-powertools[\\\\/]jmespath[\\\\/]lib[\\\\/]esm[\\\\/]";
const notBundledThrow = (what: string) =>
  `const notBundled = () => { throw new Error(${JSON.stringify(`${what} is not bundled: our idempotency expressions are plain field names.`)}); };\n`;
export const powertoolsSwaps: readonly Swap[] = [
  {
    file: new RegExp(`${jmespath}Functions\\.js$`),
    proof: "JMESPath's built-in functions: our expressions call none.",
    contents: () =>
      "export class Functions { methods = new Set(); introspectMethods() { return this.methods; } }\n",
  },
  {
    file: new RegExp(`${jmespath}PowertoolsFunctions\\.js$`),
    proof:
      "Powertools' JMESPath functions (powertools_json and the base64 decoders): our expressions call none.",
    contents: () =>
      'import { Functions } from "./Functions.js";\nexport class PowertoolsFunctions extends Functions {}\n',
  },
  {
    file: new RegExp(`${jmespath}utils\\.js$`),
    proof: "Truthiness, slicing and argument checks: used by filters, slices and functions only.",
    contents: () =>
      notBundledThrow("JMESPath filters, slices and functions") +
      "export const arityCheck = notBundled, isTruthy = notBundled, sliceArray = notBundled, typeCheck = notBundled, typeCheckArgument = notBundled;\n",
  },
  {
    file: new RegExp(`${jmespath}errors\\.js$`),
    proof: "Raised only for a malformed expression or a function misused: plain field names never.",
    contents: () =>
      "export class JMESPathError extends Error { constructor(message) { super(typeof message === 'string' ? message : 'JMESPath error'); this.name = new.target.name; } setExpression(expression) { this.expression = expression; } }\n" +
      [
        "ArityError",
        "EmptyExpressionError",
        "IncompleteExpressionError",
        "JMESPathTypeError",
        "LexerError",
        "ParseError",
        "UnknownFunctionError",
        "VariadicArityError",
      ]
        .map((name) => `export class ${name} extends JMESPathError {}\n`)
        .join(""),
  },
  {
    file: /@aws-lambda-powertools[\\/]commons[\\/]lib[\\/]esm[\\/]LRUCache\.js$/,
    proof:
      "Powertools' local idempotency cache: only built with useLocalCache, which we do not set.",
    contents: () =>
      "export class LRUCache { constructor() { throw new Error('The local idempotency cache is not bundled.'); } }\n",
  },
];

/**
 * Fails the build when the idempotency configuration stops fitting the Powertools swaps: an
 * expression that is more than a field name, a local cache, or JMESPath options of our own.
 */
export function assertPlainIdempotencyConfig(projectRoot: string): void {
  const file = path.join(projectRoot, "common", "idempotency.ts");
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch {
    return; // no idempotency, nothing swapped is ever imported
  }
  const expressions = [...source.matchAll(/JmesPath:\s*(["'`])(.*?)\1/g)].map((m) => m[2] ?? "");
  const unsupported = expressions.filter((e) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(e));
  const options = ["useLocalCache", "jmesPathOptions", "customFunctions"].filter((o) =>
    source.includes(o),
  );
  if (unsupported.length > 0 || options.length > 0) {
    throw new Error(
      `lambda-only-sdk: ${file} uses ${[...unsupported, ...options].join(", ")}, which the ` +
        "Powertools swaps in scripts/lambda-only-sdk.ts leave out; remove those swaps or the setting.",
    );
  }
}
