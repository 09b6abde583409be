import test from "ava";
import type { StateBackendConfig } from "../../infra/state-backend.ts";
import { configWith, resourcesOf, synthesize, tableOf } from "./synthesized-stack.ts";

const dev = await synthesize(configWith());
// Every option on, so the names of optional resources are checked too.
const prod = await synthesize(
  configWith({
    stage: "prod",
    deletionProtection: true,
    gateway: {
      throttle: { burstLimit: 100, rateLimit: 50 },
      jwt: { issuer: "https://auth.example.com/", audience: ["items-api"], routeScopes: {} },
    },
    alarmEmail: "oncall@example.com",
  }),
);

/** Every literal name-like attribute of every resource (references to names excluded). */
function namesOf(stack: typeof dev): string[] {
  return Object.values(stack.resource).flatMap((resources) =>
    Object.values(resources).flatMap((body) =>
      ["name", "function_name", "alarm_name"]
        .map((attribute) => body[attribute])
        .filter((value): value is string => typeof value === "string" && !value.startsWith("${")),
    ),
  );
}

test("every log group is created by Terraform with the default 30-day retention", (t) => {
  const groups = resourcesOf(dev, "aws_cloudwatch_log_group");
  // One per function and one for the API's access logs.
  t.is(groups.length, resourcesOf(dev, "aws_lambda_function").length + 1);
  for (const [, group] of groups) t.is(group.retention_in_days, 30);
});

test("log retention follows the configuration", async (t) => {
  const stack = await synthesize(configWith({ logRetentionDays: 365 }));
  for (const [, group] of resourcesOf(stack, "aws_cloudwatch_log_group")) {
    t.is(group.retention_in_days, 365);
  }
});

test("the $default stage deploys itself, logs JSON access lines and throttles above zero", (t) => {
  const [[, stage] = ["", {}]] = resourcesOf(dev, "aws_apigatewayv2_stage");
  t.is(stage.name, "$default");
  t.true(stage.auto_deploy);
  const throttle = stage.default_route_settings;
  t.true(throttle.throttling_burst_limit > 0);
  t.true(throttle.throttling_rate_limit > 0);
  t.truthy(JSON.parse(stage.access_log_settings.format).requestId);
  t.regex(stage.access_log_settings.destination_arn, /^\$\{aws_cloudwatch_log_group\..+\.arn\}$/);
});

test("throttles follow the configuration", async (t) => {
  const stack = await synthesize(
    configWith({ gateway: { throttle: { burstLimit: 7, rateLimit: 3 } } }),
  );
  const [[, stage] = ["", {}]] = resourcesOf(stack, "aws_apigatewayv2_stage");
  t.is(stage.default_route_settings.throttling_burst_limit, 7);
  t.is(stage.default_route_settings.throttling_rate_limit, 3);
});

test("the stage name prefixes every resource name", (t) => {
  const names = namesOf(prod).filter((name) => name !== "$default");
  t.true(names.length >= 30);
  for (const name of names) t.regex(name, /^(\/aws\/[a-z]+\/)?prod-items-api(-|$)/);
  t.false(namesOf(dev).some((name) => name.includes("prod-")));
});

test("there are two tables: the items and the Idempotency-Key records", (t) => {
  t.deepEqual(
    resourcesOf(dev, "aws_dynamodb_table")
      .map(([, table]) => table.name)
      .sort(),
    ["dev-items-api-idempotency", "dev-items-api-items"],
  );
});

test("the items table is on-demand, keyed by id, recoverable and encrypted, with no TTL", (t) => {
  const [, table] = tableOf(dev, "items");
  t.is(table.billing_mode, "PAY_PER_REQUEST");
  t.is(table.hash_key, "id");
  t.deepEqual(table.attribute, [{ name: "id", type: "S" }]);
  t.deepEqual(table.point_in_time_recovery, { enabled: true });
  t.deepEqual(table.server_side_encryption, { enabled: true });
  t.is(table.ttl, undefined);
});

test("the idempotency table is on-demand, keyed by id, recoverable, encrypted, with TTL on expiration", (t) => {
  const [, table] = tableOf(dev, "idempotency");
  t.is(table.billing_mode, "PAY_PER_REQUEST");
  t.is(table.hash_key, "id");
  t.deepEqual(table.attribute, [{ name: "id", type: "S" }]);
  t.deepEqual(table.point_in_time_recovery, { enabled: true });
  t.deepEqual(table.server_side_encryption, { enabled: true });
  t.deepEqual(table.ttl, { attribute_name: "expiration", enabled: true });
});

test("only a production stage protects the tables from deletion", (t) => {
  for (const suffix of ["items", "idempotency"] as const) {
    t.false(tableOf(dev, suffix)[1].deletion_protection_enabled, suffix);
    t.true(tableOf(prod, suffix)[1].deletion_protection_enabled, suffix);
  }
});

test("the provider targets the configured region and tags everything with the stage", async (t) => {
  const stack = await synthesize(configWith({ stage: "qa", region: "eu-west-1" }));
  const [provider] = stack.provider.aws ?? [];
  t.is(provider?.region, "eu-west-1");
  t.like(provider?.default_tags[0].tags, { Application: "items-api", Stage: "qa" });
});

test("state is a local file beside the project by default, kept per stage", (t) => {
  t.deepEqual(dev.terraform.backend, { local: { path: "../../../terraform.dev.tfstate" } });
});

test("state goes to S3 with S3-native locking when a bucket is configured", async (t) => {
  const state: StateBackendConfig = {
    kind: "s3",
    bucket: "tf-state",
    key: "items/prod.tfstate",
    region: "eu-west-1",
  };
  const stack = await synthesize(configWith({ state }));
  t.deepEqual(stack.terraform.backend, {
    s3: {
      bucket: "tf-state",
      key: "items/prod.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    },
  });
});
