/**
 * Remembers how dynalite parsed a condition expression. dynalite parses every request's
 * `ConditionExpression` anew with a generated parser: about 50 µs for `attribute_not_exists(#id)`
 * (warm, in a loop), paid by every create on the thread that also runs the local gateway, where it
 * was about a tenth of that thread's work per request.
 * Every create sends that same expression with the same names, so its parse is kept.
 *
 * Only parses that cannot differ between two requests are kept: the expression and its
 * `ExpressionAttributeNames` are the key, and an expression with `ExpressionAttributeValues` is
 * never kept (its parse holds the request's own values). What a parse does besides returning its
 * tree is replayed on every use: it marks the names it used, which lets dynalite reject names
 * that no expression of the request uses. A kept tree is frozen, so no request can change the tree
 * another one is given (dynalite only reads it). This patches dynalite's module in this process
 * only; the functions and any other DynamoDB are untouched. tests/local/dynalite-condition-cache
 * sends the same requests to a dynalite without it and expects the same answers.
 */

interface ParseContext {
  readonly attrNames?: Readonly<Record<string, string>>;
  readonly attrVals?: unknown;
  readonly unusedAttrNames?: Record<string, true>;
}

interface ConditionParser {
  parse(expression: string, options: { context: ParseContext }): unknown;
}

interface KeptParse {
  readonly tree: unknown;
  readonly usedNames: readonly string[];
}

/** Enough for every expression this API sends, many times over; cleared when full. */
const maxKept = 256;

const patched = new WeakSet<ConditionParser>();

/** Whether the dynalite that `requireDynalite` loads has the cache installed. */
export function cachesConditionParses(requireDynalite: NodeJS.Require): boolean {
  return patched.has(requireDynalite("./db/conditionParser") as ConditionParser);
}

/** Installs the cache in the dynalite that `requireDynalite` (a require from its index.js) loads. */
export function cacheConditionParses(requireDynalite: NodeJS.Require): void {
  const parser = requireDynalite("./db/conditionParser") as ConditionParser;
  if (patched.has(parser)) return;
  patched.add(parser);
  const parse = parser.parse.bind(parser);
  const kept = new Map<string, KeptParse>();
  parser.parse = (expression, options) => {
    const { context } = options;
    if (context.attrVals !== undefined) return parse(expression, options);
    const key = JSON.stringify([expression, context.attrNames ?? null]);
    let parsed = kept.get(key);
    if (parsed === undefined) {
      // Parse against every name as unused, to learn which names this expression uses whatever
      // the request's other expressions used before it. A syntax error throws and is not kept.
      const names = Object.keys(context.attrNames ?? {});
      const unused: Record<string, true> = Object.fromEntries(names.map((name) => [name, true]));
      const tree = parse(expression, { context: { ...context, unusedAttrNames: unused } });
      const usedNames = names.filter((name) => !(name in unused));
      if (kept.size >= maxKept) kept.clear();
      parsed = { tree: deepFreeze(tree), usedNames };
      kept.set(key, parsed);
    }
    for (const name of parsed.usedNames) delete context.unusedAttrNames?.[name];
    return parsed.tree;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}
