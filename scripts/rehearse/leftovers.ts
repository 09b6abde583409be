/**
 * What is left in the emulator after a teardown, listed through the AWS SDK for every resource
 * type the configuration applied (and S3 buckets, for the state bucket). A resource type with
 * no lister here fails the rehearsal, so a new kind of resource cannot go unchecked.
 */
import { GetApisCommand } from "@aws-sdk/client-apigatewayv2";
import { DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { ListRolesCommand } from "@aws-sdk/client-iam";
import { ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { ListSubscriptionsCommand, ListTopicsCommand } from "@aws-sdk/client-sns";
import type { Clients } from "./clients.ts";

type Lister = (clients: Clients) => Promise<(string | undefined)[]>;

const apis: Lister = async (c) =>
  ((await c.apis.send(new GetApisCommand({}))).Items ?? []).map((a) => a.Name);
const functions: Lister = async (c) =>
  ((await c.lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName);
const roles: Lister = async (c) =>
  ((await c.iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName);

/**
 * How to list each resource type. Parts of a parent (an API's routes, a role's inline policy,
 * a function's permissions) go with it: listing the parents shows none of them is left.
 */
const listers: Readonly<Record<string, Lister>> = {
  aws_apigatewayv2_api: apis,
  aws_apigatewayv2_authorizer: apis,
  aws_apigatewayv2_integration: apis,
  aws_apigatewayv2_route: apis,
  aws_apigatewayv2_stage: apis,
  aws_cloudwatch_log_group: async (c) =>
    ((await c.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? []).map(
      (g) => g.logGroupName,
    ),
  aws_cloudwatch_metric_alarm: async (c) =>
    ((await c.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map(
      (a) => a.AlarmName,
    ),
  aws_dynamodb_table: async (c) =>
    (await c.dynamodb.send(new ListTablesCommand({}))).TableNames ?? [],
  aws_iam_role: roles,
  aws_iam_role_policy: roles,
  aws_lambda_function: functions,
  aws_lambda_permission: functions,
  aws_s3_bucket: async (c) =>
    ((await c.s3.send(new ListBucketsCommand({}))).Buckets ?? []).map((b) => b.Name),
  aws_sns_topic: async (c) =>
    ((await c.sns.send(new ListTopicsCommand({}))).Topics ?? []).map((t) => t.TopicArn),
  aws_sns_topic_subscription: async (c) =>
    ((await c.sns.send(new ListSubscriptionsCommand({}))).Subscriptions ?? []).map(
      (s) => s.SubscriptionArn,
    ),
};

/** Every resource of the given types (and every bucket) still in the emulator, as problems. */
export async function leftovers(
  clients: Clients,
  appliedTypes: Iterable<string>,
): Promise<string[]> {
  const types = [...new Set([...appliedTypes, "aws_s3_bucket"])].sort();
  const problems: string[] = [];
  const listed = new Map<Lister, (string | undefined)[]>();
  for (const type of types) {
    // terraform_data and Terraform's other built-in resources live in the state only.
    if (!type.startsWith("aws_")) continue;
    const lister = listers[type];
    if (!lister) {
      problems.push(
        `no way to list ${type} in the emulator: add it to scripts/rehearse/leftovers.ts`,
      );
      continue;
    }
    if (!listed.has(lister)) listed.set(lister, await lister(clients));
    const left = listed.get(lister) ?? [];
    if (left.length > 0) problems.push(`${type}: ${left.join(", ")} left after teardown`);
  }
  return problems;
}

/** Forgets everything (after a failed configuration, so the next starts from nothing). */
export async function resetEmulator(endpoint: string): Promise<void> {
  await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
}
