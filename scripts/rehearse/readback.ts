/**
 * Reads the deployed stack back through the AWS SDK and checks what matters: each route
 * integrates with its own function; each role's policy allows exactly the route table's
 * actions on the right table ARNs; the tables' recovery, encryption, TTL and deletion
 * protection; the log groups' retention. Returns the problems found (none: all good).
 */
import {
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
} from "@aws-sdk/client-apigatewayv2";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetRolePolicyCommand } from "@aws-sdk/client-iam";
import { idempotencyTableActionsOf, routeKeyOf, routes } from "../../common/routes.ts";
import type { StackConfig } from "../../infra/config.ts";
import { namePrefixOf } from "../../infra/items-api-stack.ts";
import type { Clients } from "./clients.ts";
import { checkTables, tableArns } from "./readback-tables.ts";

/** Each route key maps to an integration invoking its own function. */
async function checkRoutes(clients: Clients, prefix: string): Promise<string[]> {
  const apis = (await clients.apis.send(new GetApisCommand({}))).Items ?? [];
  const api = apis.find((a) => a.Name === prefix);
  if (!api?.ApiId) return [`no HTTP API named ${prefix}`];
  const found = (await clients.apis.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items ?? [];
  const integrations =
    (await clients.apis.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items ?? [];
  const problems: string[] = [];
  if (found.length !== routes.length)
    problems.push(`${found.length} routes, expected ${routes.length}`);
  for (const route of routes) {
    const key = routeKeyOf(route);
    const target = found.find((r) => r.RouteKey === key)?.Target;
    const integration = integrations.find((i) => target === `integrations/${i.IntegrationId}`);
    const fn = `:function:${prefix}-${route.name}/`;
    if (!integration) problems.push(`${key}: no integration`);
    else if (
      !integration.IntegrationUri?.includes(fn) ||
      integration.PayloadFormatVersion !== "2.0"
    ) {
      problems.push(
        `${key}: integrates with ${integration.IntegrationUri} (format ${integration.PayloadFormatVersion})`,
      );
    }
  }
  return problems;
}

interface Statement {
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

/** The DynamoDB actions a policy allows, by resource, as sorted "resource: actions" lines. */
function dynamoGrantsOf(document: string): string[] {
  const statements = (JSON.parse(decodeURIComponent(document)) as { Statement: Statement[] })
    .Statement;
  return statements
    .flatMap((s) =>
      [s.Resource].flat().map((resource) => ({ resource, actions: [s.Action].flat() })),
    )
    .filter(({ actions }) => actions.some((a) => a === "*" || a.startsWith("dynamodb:")))
    .map(({ resource, actions }) => `${resource}: ${[...actions].sort().join(",")}`)
    .sort();
}

/** Each function's role policy allows exactly its route's table actions on its tables. */
async function checkPolicies(clients: Clients, prefix: string): Promise<string[]> {
  const arns = await tableArns(clients, prefix);
  const problems: string[] = [];
  for (const route of routes) {
    const name = `${prefix}-${route.name}`;
    const grants: [string | undefined, readonly string[]][] = [
      [arns.items, route.itemsTableActions],
      [arns.idempotency, idempotencyTableActionsOf(route)],
    ];
    const expected = grants
      .filter(([, actions]) => actions.length > 0)
      .map(([arn, actions]) => `${arn}: ${[...actions].sort().join(",")}`)
      .sort();
    const policy = await clients.iam.send(
      new GetRolePolicyCommand({ RoleName: name, PolicyName: name }),
    );
    const actual = dynamoGrantsOf(policy.PolicyDocument ?? "{}");
    if (actual.join("\n") !== expected.join("\n")) {
      problems.push(`${name} allows [${actual.join("; ")}], expected [${expected.join("; ")}]`);
    }
  }
  return problems;
}

/** Every log group of the stage (functions and access logs) keeps logs for the configured days. */
async function checkLogGroups(clients: Clients, prefix: string, days: number): Promise<string[]> {
  const names = [
    ...routes.map((r) => `/aws/lambda/${prefix}-${r.name}`),
    `/aws/apigateway/${prefix}`,
  ];
  const groups = (await clients.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
  return names.flatMap((name) => {
    const group = groups.find((g) => g.logGroupName === name);
    if (!group) return [`no log group ${name}`];
    return group.retentionInDays === days
      ? []
      : [`${name} keeps logs ${group.retentionInDays} days, not ${days}`];
  });
}

export async function readBack(clients: Clients, config: StackConfig): Promise<string[]> {
  const prefix = namePrefixOf(config.stage);
  return [
    ...(await checkRoutes(clients, prefix)),
    ...(await checkPolicies(clients, prefix)),
    ...(await checkTables(clients, prefix, config.deletionProtection)),
    ...(await checkLogGroups(clients, prefix, config.logRetentionDays)),
  ];
}
