import test from "ava";
import { defaultStackConfig, readStackConfig } from "../../infra/config.ts";

const noContext = () => undefined;

test("with nothing set the config is the dev default with local state", (t) => {
  t.deepEqual(readStackConfig({}, noContext), defaultStackConfig);
});

test("environment variables set every setting", (t) => {
  const config = readStackConfig({
    ITEMS_API_STAGE: "qa",
    ITEMS_API_REGION: "eu-central-1",
    ITEMS_API_LOG_RETENTION_DAYS: "90",
    ITEMS_API_THROTTLE_BURST_LIMIT: "20",
    ITEMS_API_THROTTLE_RATE_LIMIT: "10",
    ITEMS_API_MEMORY_MB: "1024",
    ITEMS_API_TIMEOUT_SECONDS: "15",
    ITEMS_API_CORS_ALLOW_ORIGINS: "https://a.example, https://b.example",
    ITEMS_API_JWT_ISSUER: "https://issuer.example/",
    ITEMS_API_JWT_AUDIENCE: "api,web",
    ITEMS_API_JWT_ROUTE_SCOPES: "POST /=items:write; DELETE /{id}=items:write items:admin",
    ITEMS_API_CORS_ALLOW_METHODS: "GET,POST",
    ITEMS_API_CORS_ALLOW_HEADERS: "Content-Type,Authorization",
    ITEMS_API_CORS_EXPOSE_HEADERS: "etag",
    ITEMS_API_CORS_MAX_AGE: "600",
    ITEMS_API_CORS_ALLOW_CREDENTIALS: "true",
    ITEMS_API_ALARM_EMAIL: "ops@example.com",
    ITEMS_API_STATE_BUCKET: "state-bucket",
  });
  t.deepEqual(config, {
    stage: "qa",
    region: "eu-central-1",
    deletionProtection: false,
    logRetentionDays: 90,
    lambda: { memoryMb: 1024, timeoutSeconds: 15 },
    gateway: {
      throttle: { burstLimit: 20, rateLimit: 10 },
      cors: {
        allowOrigins: ["https://a.example", "https://b.example"],
        allowMethods: ["GET", "POST"],
        allowHeaders: ["content-type", "authorization"],
        exposeHeaders: ["etag"],
        maxAgeSeconds: 600,
        allowCredentials: true,
      },
      jwt: {
        issuer: "https://issuer.example/",
        audience: ["api", "web"],
        routeScopes: { "POST /": ["items:write"], "DELETE /{id}": ["items:write", "items:admin"] },
      },
    },
    alarmEmail: "ops@example.com",
    state: {
      kind: "s3",
      bucket: "state-bucket",
      key: "items-api/qa.tfstate",
      region: "eu-central-1",
    },
  });
});

test("cdktf context fills what the environment leaves unset", (t) => {
  const context: Record<string, unknown> = {
    stage: "staging",
    memoryMb: 256,
    corsAllowOrigins: ["https://x.example"],
  };
  const config = readStackConfig({ ITEMS_API_MEMORY_MB: "2048" }, (key) => context[key]);
  t.is(config.stage, "staging");
  t.is(config.lambda.memoryMb, 2048);
  t.deepEqual(config.gateway.cors?.allowOrigins, ["https://x.example"]);
});

test("the prod and production stages, and only they, protect data from deletion", (t) => {
  for (const stage of ["prod", "production"]) {
    t.true(readStackConfig({ ITEMS_API_STAGE: stage }).deletionProtection, stage);
  }
  for (const stage of ["dev", "preprod", "prod-eu"]) {
    t.false(readStackConfig({ ITEMS_API_STAGE: stage }).deletionProtection, stage);
  }
});

test("the local state file is named after the stage", (t) => {
  t.deepEqual(readStackConfig({ ITEMS_API_STAGE: "qa" }).state, {
    kind: "local",
    path: "terraform.qa.tfstate",
  });
});

const invalid = test.macro<[Record<string, string>, RegExp]>({
  exec(t, env, message) {
    t.throws(() => readStackConfig(env, noContext), { message });
  },
  title: (_, env = {}) =>
    `rejects ${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`,
});

test(invalid, { ITEMS_API_STAGE: "Prod" }, /ITEMS_API_STAGE/);
test(invalid, { ITEMS_API_STAGE: "a-stage-name-far-too-long" }, /ITEMS_API_STAGE/);
test(invalid, { ITEMS_API_TIMEOUT_SECONDS: "30" }, /ITEMS_API_TIMEOUT_SECONDS.*1 to 29/);
test(invalid, { ITEMS_API_THROTTLE_BURST_LIMIT: "0" }, /ITEMS_API_THROTTLE_BURST_LIMIT/);
test(invalid, { ITEMS_API_THROTTLE_RATE_LIMIT: "0" }, /ITEMS_API_THROTTLE_RATE_LIMIT/);
test(invalid, { ITEMS_API_MEMORY_MB: "64" }, /ITEMS_API_MEMORY_MB/);
test(invalid, { ITEMS_API_LOG_RETENTION_DAYS: "31" }, /ITEMS_API_LOG_RETENTION_DAYS.*one of/);
test(invalid, { ITEMS_API_JWT_ISSUER: "https://issuer.example/" }, /ITEMS_API_JWT_AUDIENCE/);
test(invalid, { ITEMS_API_JWT_AUDIENCE: "api" }, /ITEMS_API_JWT_ISSUER/);
test(invalid, { ITEMS_API_JWT_ISSUER: "http://x", ITEMS_API_JWT_AUDIENCE: "a" }, /https/);
test(
  invalid,
  { ITEMS_API_JWT_ISSUER: "http://127.0.0.1:9999", ITEMS_API_JWT_AUDIENCE: "a" },
  /ITEMS_API_JWT_ISSUER.*https/,
);
test(invalid, { ITEMS_API_JWT_ROUTE_SCOPES: "POST /=items:write" }, /ITEMS_API_JWT_ISSUER/);
test(
  invalid,
  {
    ITEMS_API_JWT_ISSUER: "https://i.example",
    ITEMS_API_JWT_AUDIENCE: "a",
    ITEMS_API_JWT_ROUTE_SCOPES: "PATCH /=x",
  },
  /ITEMS_API_JWT_ROUTE_SCOPES.*not a route/,
);
test(
  invalid,
  {
    ITEMS_API_JWT_ISSUER: "https://i.example",
    ITEMS_API_JWT_AUDIENCE: "a",
    ITEMS_API_JWT_ROUTE_SCOPES: "POST /=",
  },
  /ITEMS_API_JWT_ROUTE_SCOPES.*no scope/,
);
test(
  invalid,
  { ITEMS_API_CORS_MAX_AGE: "60" },
  /ITEMS_API_CORS_MAX_AGE.*without ITEMS_API_CORS_ALLOW_ORIGINS/,
);
test(invalid, { ITEMS_API_CORS_ALLOW_ORIGINS: "app.example" }, /ITEMS_API_CORS_ALLOW_ORIGINS/);
test(
  invalid,
  { ITEMS_API_CORS_ALLOW_ORIGINS: "*", ITEMS_API_CORS_ALLOW_CREDENTIALS: "true" },
  /ITEMS_API_CORS_ALLOW_CREDENTIALS/,
);
test(
  invalid,
  { ITEMS_API_CORS_ALLOW_ORIGINS: "*", ITEMS_API_CORS_MAX_AGE: "86401" },
  /ITEMS_API_CORS_MAX_AGE/,
);
test(
  invalid,
  { ITEMS_API_CORS_ALLOW_ORIGINS: "*", ITEMS_API_CORS_ALLOW_METHODS: "FETCH" },
  /ITEMS_API_CORS_ALLOW_METHODS/,
);
test(invalid, { ITEMS_API_ALARM_EMAIL: "not-an-email" }, /ITEMS_API_ALARM_EMAIL/);
