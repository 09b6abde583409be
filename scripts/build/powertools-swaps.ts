/**
 * The Powertools swaps: the parts of Powertools' idempotency utility that our configuration never
 * runs, and a plugin that checks, in every build, that the configuration still fits them.
 *
 * The utility evaluates its JMESPath expressions with a whole JMESPath engine (built-in
 * functions, Powertools' decoders, error classes). Ours are plain field names ("key", "body"),
 * which the lexer, parser and interpreter evaluate without calling a function or raising an
 * error. An expression that called a function would fail as an unknown one, not misbehave.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "esbuild";
import type { Swap } from "./swaps.ts";

const jmespath = "@aws-lambda-powertools/jmespath";

export const powertoolsSwaps: readonly Swap[] = [
  {
    name: "jmespath-functions",
    kind: "stub",
    package: jmespath,
    file: "lib/esm/Functions.js",
    stub: "jmespath-functions.js",
    proof: "JMESPath's built-in functions are called only by expressions, and ours call none.",
  },
  {
    name: "jmespath-powertools-functions",
    kind: "stub",
    package: jmespath,
    file: "lib/esm/PowertoolsFunctions.js",
    stub: "jmespath-powertools-functions.js",
    proof:
      "Powertools' JMESPath functions (powertools_json and the base64 decoders), which extend " +
      "the built-in ones, are called only by expressions, and ours call none.",
  },
  {
    name: "jmespath-errors",
    kind: "stub",
    package: jmespath,
    file: "lib/esm/errors.js",
    stub: "jmespath-errors.js",
    proof:
      "JMESPath's errors are raised only for a malformed expression or a function misused, " +
      "never for a plain field name.",
  },
];

/** What a configuration may not use for the swaps above to hold. */
const unsupportedOptions = ["useLocalCache", "jmesPathOptions", "customFunctions"];
const plainExpression = /\b\w+JmesPath\s*:\s*"[A-Za-z_][A-Za-z0-9_]*"/g;

/**
 * What in `source` (a module that imports Powertools) the swaps cannot vouch for: an option
 * they do not support, or a JMESPath expression that is not a plain field name written as a
 * string literal. Empty when it fits.
 */
export function unsupportedIdempotencyConfig(source: string): string[] {
  const mentions = source.match(/jmespath/gi)?.length ?? 0;
  const plain = source.match(plainExpression)?.length ?? 0;
  const options = unsupportedOptions.filter((option) => source.includes(option));
  return [
    ...options,
    ...(mentions > plain
      ? [`${mentions - plain} JMESPath use(s) other than \`xJmesPath: "field"\``]
      : []),
  ];
}

/**
 * Fails the build when a module of ours that imports Powertools configures it in a way the
 * swaps leave out. Whichever file imports Powertools is checked, so renaming it changes nothing.
 */
export const plainIdempotencyConfig: Plugin = {
  name: "plain-idempotency-config",
  setup(build) {
    build.onResolve({ filter: /^@aws-lambda-powertools\// }, (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
      const found = unsupportedIdempotencyConfig(readFileSync(args.importer, "utf8"));
      if (found.length === 0) return undefined;
      const file = path.relative(
        build.initialOptions.absWorkingDir ?? process.cwd(),
        args.importer,
      );
      return {
        errors: [
          {
            text:
              `${file} configures Powertools with ${found.join(", ")}, which the swaps ` +
              `${powertoolsSwaps.map((swap) => swap.name).join(", ")} ` +
              "(scripts/build/powertools-swaps.ts) leave out: keep every JMESPath expression a " +
              "plain field name in a string literal, or drop those swaps.",
          },
        ],
      };
    });
  },
};
