import test from "ava";
import { readGatewaySettings } from "../../common/gateway-settings.ts";
import { routes } from "../../common/routes.ts";
import { configWith, refTo, resourcesOf, synthesize } from "./synthesized-stack.ts";

const plain = await synthesize(configWith());
const everything = await synthesize(
  configWith({
    gateway: readGatewaySettings({
      ITEMS_API_JWT_ISSUER: "https://auth.example.com/",
      ITEMS_API_JWT_AUDIENCE: "items-api",
      ITEMS_API_CORS_ALLOW_ORIGINS: "https://app.example.com",
    }),
    alarmEmail: "oncall@example.com",
  }),
);

test("without an issuer no authorizer exists and routes are open", (t) => {
  t.is(resourcesOf(plain, "aws_apigatewayv2_authorizer").length, 0);
  for (const [, route] of resourcesOf(plain, "aws_apigatewayv2_route")) {
    t.is(route.authorization_type, undefined);
  }
});

test("a JWT authorizer with the configured issuer and audience guards every route", (t) => {
  const authorizers = resourcesOf(everything, "aws_apigatewayv2_authorizer");
  t.is(authorizers.length, 1);
  const [[name, authorizer] = ["", {}]] = authorizers;
  t.is(authorizer.authorizer_type, "JWT");
  t.deepEqual(authorizer.identity_sources, ["$request.header.Authorization"]);
  t.deepEqual(authorizer.jwt_configuration, {
    issuer: "https://auth.example.com/",
    audience: ["items-api"],
  });
  const guarded = resourcesOf(everything, "aws_apigatewayv2_route");
  t.is(guarded.length, routes.length);
  for (const [, route] of guarded) {
    t.is(route.authorization_type, "JWT");
    t.is(route.authorizer_id, refTo("aws_apigatewayv2_authorizer", name, "id"));
  }
});

test("without an alarm email no topic or alarm exists", (t) => {
  t.is(resourcesOf(plain, "aws_sns_topic").length, 0);
  t.is(resourcesOf(plain, "aws_cloudwatch_metric_alarm").length, 0);
});

test("an alarm email gets a topic that mails it", (t) => {
  const [[topicName, topic] = ["", {}]] = resourcesOf(everything, "aws_sns_topic");
  t.is(topic.name, "dev-items-api-alarms");
  const subscriptions = resourcesOf(everything, "aws_sns_topic_subscription").map(([, s]) => s);
  t.is(subscriptions.length, 1);
  t.like(subscriptions[0], {
    protocol: "email",
    endpoint: "oncall@example.com",
    topic_arn: refTo("aws_sns_topic", topicName, "arn"),
  });
});

test("errors and throttles of every function and the API's 5xx raise alarms on that topic", (t) => {
  const alarms = resourcesOf(everything, "aws_cloudwatch_metric_alarm").map(([, alarm]) => alarm);
  const functionRefs = new Map(
    resourcesOf(everything, "aws_lambda_function").map(([name, fn]) => [
      refTo("aws_lambda_function", name, "function_name"),
      fn.function_name,
    ]),
  );
  const watched = alarms.map(
    (a) =>
      `${a.namespace} ${a.metric_name} ${functionRefs.get(a.dimensions.FunctionName) ?? a.dimensions.ApiId}`,
  );
  const expected = routes.flatMap((route) =>
    ["Errors", "Throttles"].map((metric) => `AWS/Lambda ${metric} dev-items-api-${route.name}`),
  );
  t.deepEqual(watched.filter((w) => w.startsWith("AWS/Lambda")).sort(), expected.sort());
  const api = alarms.filter((a) => a.namespace === "AWS/ApiGateway");
  t.is(api.length, 1);
  t.is(api[0]?.metric_name, "5xx");
  t.regex(api[0]?.dimensions.Stage, /^\$\{aws_apigatewayv2_stage\..+\.name\}$/);
  const [[topicName] = [""]] = resourcesOf(everything, "aws_sns_topic");
  for (const alarm of alarms) {
    t.deepEqual(alarm.alarm_actions, [refTo("aws_sns_topic", topicName, "arn")]);
    t.is(alarm.comparison_operator, "GreaterThanThreshold");
    t.is(alarm.threshold, 0);
    t.regex(alarm.alarm_name, /^dev-items-api-[a-z0-9-]+$/);
  }
});

test("CORS is off by default and allows exactly the configured origins when set", (t) => {
  const [[, api] = ["", {}]] = resourcesOf(plain, "aws_apigatewayv2_api");
  t.is(api.cors_configuration, undefined);
  const [[, withCors] = ["", {}]] = resourcesOf(everything, "aws_apigatewayv2_api");
  t.deepEqual(withCors.cors_configuration.allow_origins, ["https://app.example.com"]);
  t.true(withCors.cors_configuration.allow_headers.includes("if-match"));
  t.true(withCors.cors_configuration.expose_headers.includes("etag"));
});
