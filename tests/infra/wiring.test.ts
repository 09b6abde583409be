import test from "ava";
import {
  idempotencyTableActionsOf,
  routeKeyOf,
  routes,
  signsPageTokens,
} from "../../common/routes.ts";
import {
  configWith,
  refTo,
  resolve,
  resourcesOf,
  synthesize,
  tableOf,
} from "./synthesized-stack.ts";

const stack = await synthesize(configWith());
const [apiName] = resourcesOf(stack, "aws_apigatewayv2_api").map(([name]) => name);

/** Follows one route from its route key to its function and the permission on it. */
function wiringOf(routeKey: string) {
  const matches = resourcesOf(stack, "aws_apigatewayv2_route").filter(
    ([, body]) => body.route_key === routeKey,
  );
  if (matches.length !== 1) throw new Error(`${matches.length} routes have key ${routeKey}`);
  const [, route] = matches[0] as [string, Record<string, string>];
  const [, integration] = resolve(stack, (route.target ?? "").replace(/^integrations\//, ""));
  const [functionName, fn] = resolve(stack, integration.integration_uri);
  const permissions = resourcesOf(stack, "aws_lambda_permission").filter(
    ([, body]) =>
      body.function_name === refTo("aws_lambda_function", functionName, "function_name"),
  );
  return { route, integration, functionName, fn, permissions };
}

for (const route of routes) {
  const key = routeKeyOf(route);

  test(`${key} is proxied by payload 2.0 to the ${route.name} function`, (t) => {
    const { route: apiRoute, integration, functionName, fn } = wiringOf(key);
    t.is(apiRoute.api_id, refTo("aws_apigatewayv2_api", apiName ?? "", "id"));
    t.is(integration.integration_type, "AWS_PROXY");
    t.is(integration.payload_format_version, "2.0");
    t.is(integration.integration_uri, refTo("aws_lambda_function", functionName, "invoke_arn"));
    t.is(fn.function_name, `dev-items-api-${route.name}`);
  });

  test(`only ${key} may invoke the ${route.name} function`, (t) => {
    const { permissions } = wiringOf(key);
    t.is(permissions.length, 1);
    const [, permission] = permissions[0] ?? [];
    t.is(permission?.principal, "apigateway.amazonaws.com");
    t.is(permission?.action, "lambda:InvokeFunction");
    const executionArn = refTo("aws_apigatewayv2_api", apiName ?? "", "execution_arn");
    t.is(permission?.source_arn, `${executionArn}/*/${route.method}${route.path}`);
  });
}

test("the API has exactly the routes of the route table, one integration each", (t) => {
  const keys = resourcesOf(stack, "aws_apigatewayv2_route").map(([, body]) => body.route_key);
  t.deepEqual(keys.sort(), routes.map(routeKeyOf).sort());
  t.is(resourcesOf(stack, "aws_apigatewayv2_integration").length, routes.length);
  t.is(resourcesOf(stack, "aws_lambda_function").length, routes.length);
});

test("every function runs nodejs24.x on arm64 with JSON logs and its index.handler", (t) => {
  for (const [, fn] of resourcesOf(stack, "aws_lambda_function")) {
    t.is(fn.runtime, "nodejs24.x");
    t.deepEqual(fn.architectures, ["arm64"]);
    t.is(fn.handler, "index.handler");
    t.is(fn.logging_config.log_format, "JSON");
  }
});

test("every function reads the items table's name from TABLE_NAME, only create-item the idempotency table's, only list-items the page-token key", (t) => {
  const items = refTo("aws_dynamodb_table", tableOf(stack, "items")[0], "name");
  const idempotency = refTo("aws_dynamodb_table", tableOf(stack, "idempotency")[0], "name");
  const [keyName] = resourcesOf(stack, "terraform_data").map(([name]) => name);
  const pageTokenKey = `\${sensitive(terraform_data.${keyName}.output["key"])}`;
  for (const route of routes) {
    const { fn } = wiringOf(routeKeyOf(route));
    t.deepEqual(fn.environment.variables, {
      TABLE_NAME: items,
      ...(idempotencyTableActionsOf(route).length > 0 && { IDEMPOTENCY_TABLE_NAME: idempotency }),
      ...(signsPageTokens(route) && { PAGE_TOKEN_KEY: pageTokenKey }),
    });
  }
});

test("every function times out before API Gateway's 30 seconds, with the configured memory", async (t) => {
  const tuned = await synthesize(configWith({ lambda: { memoryMb: 1024, timeoutSeconds: 20 } }));
  for (const [, fn] of resourcesOf(tuned, "aws_lambda_function")) {
    t.is(fn.memory_size, 1024);
    t.is(fn.timeout, 20);
  }
  for (const [, fn] of resourcesOf(stack, "aws_lambda_function")) t.true(fn.timeout < 30);
});

test("each function's code hash is Terraform's filebase64sha256 of the zip it uploads", (t) => {
  for (const [, fn] of resourcesOf(stack, "aws_lambda_function")) {
    t.regex(fn.filename, /^assets\/[^/]+\/[0-9A-F]+\/[a-z-]+\.zip$/);
    t.is(fn.source_code_hash, `\${filebase64sha256("${fn.filename}")}`);
  }
});

test("the outputs are the API URL and the tables' names", (t) => {
  const [stageName] = resourcesOf(stack, "aws_apigatewayv2_stage").map(([name]) => name);
  const [tableName] = tableOf(stack, "items");
  const [idempotencyTableName] = tableOf(stack, "idempotency");
  t.is(stack.output.api_url?.value, refTo("aws_apigatewayv2_stage", stageName ?? "", "invoke_url"));
  t.is(stack.output.table_name?.value, refTo("aws_dynamodb_table", tableName, "name"));
  t.is(
    stack.output.idempotency_table_name?.value,
    refTo("aws_dynamodb_table", idempotencyTableName, "name"),
  );
});
