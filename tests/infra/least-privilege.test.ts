import test from "ava";
import { idempotencyTableActionsOf, routes } from "../../common/routes.ts";
import {
  configWith,
  refTo,
  resolve,
  resourcesOf,
  synthesize,
  tableOf,
} from "./synthesized-stack.ts";

const stack = await synthesize(configWith());
const tableArn = refTo("aws_dynamodb_table", tableOf(stack, "items")[0], "arn");
const idempotencyTableArn = refTo("aws_dynamodb_table", tableOf(stack, "idempotency")[0], "arn");

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string;
}

/** The function of a route, its role and the statements of every policy on that role. */
function accessOf(functionName: string) {
  const found = resourcesOf(stack, "aws_lambda_function").find(
    ([, fn]) => fn.function_name === functionName,
  );
  if (!found) throw new Error(`no function ${functionName}`);
  const [, fn] = found;
  const [roleName, role] = resolve(stack, fn.role);
  const policies = resourcesOf(stack, "aws_iam_role_policy").filter(
    ([, policy]) => policy.role === refTo("aws_iam_role", roleName, "id"),
  );
  const statements = policies.flatMap(
    ([, policy]) => (JSON.parse(policy.policy) as { Statement: Statement[] }).Statement,
  );
  return { fn, role, roleName, statements };
}

for (const route of routes) {
  const functionName = `dev-items-api-${route.name}`;

  test(`${route.name} may call exactly ${route.itemsTableActions.join(", ")} on the items table`, (t) => {
    const { statements } = accessOf(functionName);
    const dynamodb = statements.filter((s) => s.Action.some((a) => a.startsWith("dynamodb:")));
    t.deepEqual(
      dynamodb.filter((s) => s.Resource !== idempotencyTableArn),
      [{ Effect: "Allow", Action: [...route.itemsTableActions], Resource: tableArn }],
    );
  });

  const idempotencyActions = idempotencyTableActionsOf(route);
  test(`${route.name} may call ${idempotencyActions.join(", ") || "nothing"} on the idempotency table`, (t) => {
    const { statements } = accessOf(functionName);
    t.deepEqual(
      statements.filter((s) => s.Resource === idempotencyTableArn),
      idempotencyActions.length === 0
        ? []
        : [{ Effect: "Allow", Action: [...idempotencyActions], Resource: idempotencyTableArn }],
    );
  });

  test(`${route.name} may write logs to its own log group only`, (t) => {
    const { fn, statements } = accessOf(functionName);
    const [logGroupName] = resolve(stack, fn.logging_config.log_group);
    const logs = statements.filter((s) => s.Action.some((a) => a.startsWith("logs:")));
    t.deepEqual(logs, [
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${refTo("aws_cloudwatch_log_group", logGroupName, "arn")}:*`,
      },
    ]);
  });

  test(`${route.name} has a role of its own that only Lambda can assume`, (t) => {
    const { role, roleName, statements } = accessOf(functionName);
    const others = routes
      .filter((other) => other.name !== route.name)
      .map((other) => accessOf(`dev-items-api-${other.name}`).roleName);
    t.false(others.includes(roleName));
    t.deepEqual(JSON.parse(role.assume_role_policy).Statement, [
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    t.is(role.managed_policy_arns, undefined);
    t.true(statements.every((s) => s.Effect === "Allow"));
  });
}

test("only create-item may touch the idempotency table, without Scan or Query", (t) => {
  const granted = routes.filter((route) => idempotencyTableActionsOf(route).length > 0);
  t.deepEqual(
    granted.map((route) => route.name),
    ["create-item"],
  );
  t.deepEqual([...idempotencyTableActionsOf(granted[0] ?? {})].sort(), [
    "dynamodb:DeleteItem",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
  ]);
});

test("no policy grants a wildcard action or a wildcard resource", (t) => {
  for (const [name, policy] of resourcesOf(stack, "aws_iam_role_policy")) {
    for (const statement of JSON.parse(policy.policy).Statement as Statement[]) {
      for (const action of statement.Action) t.false(action.includes("*"), `${name}: ${action}`);
      t.false(statement.Resource.startsWith("*"), `${name}: ${statement.Resource}`);
    }
  }
  t.is(resourcesOf(stack, "aws_iam_role_policy_attachment").length, 0);
});
