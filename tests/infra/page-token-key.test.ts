/**
 * The page-token key of a stage: drawn once by Terraform's built-in `terraform_data` (no other
 * provider), kept in the state, never in the synthesized configuration or the repository, and
 * stable across plans (its input is ignored after creation). Only the list function gets it,
 * and no plan prints it.
 */
import test from "ava";
import { routes, signsPageTokens } from "../../common/routes.ts";
import { configWith, resourcesOf, synthesize } from "./synthesized-stack.ts";

const stack = await synthesize(configWith());
const keys = resourcesOf(stack, "terraform_data");

test("one terraform_data draws the key with uuid() when created, and ignores its input after", (t) => {
  t.is(keys.length, 1);
  const [name, body] = keys[0] ?? [];
  t.is(name, "page_token_key", "the address docs/DEPLOY.md rotates");
  t.deepEqual(body?.input, { key: `\${uuid()}` });
  t.deepEqual(body?.lifecycle, { ignore_changes: ["input"] });
  t.is(body?.triggers_replace, undefined, "nothing replaces it behind the operator's back");
  t.is(body?.provider, undefined, "Terraform's built-in provider, no other");
});

test("no provider is required beyond AWS", (t) => {
  t.deepEqual(Object.keys(stack.terraform.required_providers ?? {}), ["aws"]);
});

test("the synthesized configuration holds no key, only the expression that draws one", async (t) => {
  const again = await synthesize(configWith());
  t.deepEqual(resourcesOf(again, "terraform_data"), keys, "synth is deterministic");
  const text = JSON.stringify(stack);
  t.false(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.test(text),
    "no UUID value",
  );
});

test("only the functions that sign page tokens get the key, marked sensitive", (t) => {
  const [name] = keys[0] ?? [];
  const reference = `\${sensitive(terraform_data.${name}.output["key"])}`;
  const functions = resourcesOf(stack, "aws_lambda_function");
  for (const route of routes) {
    const [, fn] =
      functions.find(([, body]) => body.function_name.endsWith(`-${route.name}`)) ?? [];
    t.is(fn?.environment.variables.PAGE_TOKEN_KEY, signsPageTokens(route) ? reference : undefined);
  }
  t.deepEqual(
    routes.filter(signsPageTokens).map((route) => route.name),
    ["list-items"],
  );
});
