/**
 * What deploys is what runs locally: the synthesized JWT authorizer, route scopes, CORS block
 * and stage throttle carry exactly the values the local gateway reads for the same environment
 * and cdktf context, and the local gateway's settings reach it without cdktf.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { build } from "esbuild";
import { readGatewaySettings } from "../../common/gateway-settings.ts";
import { routeKeyOf, routes } from "../../common/routes.ts";
import { readStackConfig } from "../../infra/config.ts";
import { projectRoot } from "../../scripts/build.ts";
import { cdktfContextOf, readLocalGatewaySettings } from "../../scripts/local/gateway-config.ts";
import { resourcesOf, synthesize } from "./synthesized-stack.ts";

const env = {
  ITEMS_API_JWT_ISSUER: "https://auth.example.com/tenant",
  ITEMS_API_JWT_AUDIENCE: "items-api,items-web",
  ITEMS_API_JWT_ROUTE_SCOPES:
    "POST /=items:write; PUT /{id}=items:write; DELETE /{id}=items:admin items:write",
  ITEMS_API_CORS_ALLOW_ORIGINS: "https://app.example.com,http://localhost:5173",
  ITEMS_API_CORS_MAX_AGE: "600",
  ITEMS_API_CORS_ALLOW_CREDENTIALS: "true",
  ITEMS_API_THROTTLE_RATE_LIMIT: "25",
  ITEMS_API_THROTTLE_BURST_LIMIT: "40",
};

/** The authorizer, routes, CORS block and stage throttle of a synthesized stack. */
async function deployedGatewayOf(config: ReturnType<typeof readStackConfig>) {
  const stack = await synthesize(config);
  const [[, api] = ["", {}]] = resourcesOf(stack, "aws_apigatewayv2_api");
  const [[, stage] = ["", {}]] = resourcesOf(stack, "aws_apigatewayv2_stage");
  const authorizers = resourcesOf(stack, "aws_apigatewayv2_authorizer").map(([, body]) => body);
  const routeScopes = Object.fromEntries(
    resourcesOf(stack, "aws_apigatewayv2_route").map(([, body]) => [
      body.route_key,
      body.authorization_scopes,
    ]),
  );
  return { api, stage, authorizers, routeScopes };
}

test("the synthesized authorizer, route scopes, CORS and throttle are the local gateway's values", async (t) => {
  const local = readLocalGatewaySettings(env);
  const deployed = await deployedGatewayOf(readStackConfig(env, cdktfContextOf()));
  const { jwt, cors, throttle } = local;
  t.truthy(jwt && cors, "the local gateway enforces a JWT authorizer and CORS");
  t.deepEqual(
    deployed.authorizers.map((a) => a.jwt_configuration),
    [{ issuer: jwt?.issuer, audience: jwt?.audience }],
  );
  for (const route of routes) {
    const key = routeKeyOf(route);
    t.deepEqual(deployed.routeScopes[key], jwt?.routeScopes[key], key);
  }
  t.deepEqual(deployed.routeScopes["POST /"], ["items:write"]);
  t.deepEqual(deployed.api.cors_configuration, {
    allow_origins: cors?.allowOrigins,
    allow_methods: cors?.allowMethods,
    allow_headers: cors?.allowHeaders,
    expose_headers: cors?.exposeHeaders,
    max_age: cors?.maxAgeSeconds,
    allow_credentials: cors?.allowCredentials,
  });
  t.like(deployed.stage.default_route_settings, {
    throttling_rate_limit: throttle.rateLimit,
    throttling_burst_limit: throttle.burstLimit,
  });
  t.like(throttle, { rateLimit: 25, burstLimit: 40 });
});

test("the defaults deploy and run the same: no authorizer, no CORS, 50 requests/s with bursts of 100", async (t) => {
  const local = readLocalGatewaySettings({});
  const deployed = await deployedGatewayOf(readStackConfig({}, cdktfContextOf()));
  t.is(local.jwt, undefined);
  t.is(deployed.authorizers.length, 0);
  t.is(local.cors, undefined);
  t.is(deployed.api.cors_configuration, undefined);
  t.like(deployed.stage.default_route_settings, {
    throttling_rate_limit: 50,
    throttling_burst_limit: 100,
  });
  t.deepEqual(local.throttle, { rateLimit: 50, burstLimit: 100 });
});

test("the default CORS headers let a browser send and read what the API uses", (t) => {
  const cors = readGatewaySettings({ ITEMS_API_CORS_ALLOW_ORIGINS: "*" }).cors;
  for (const header of [
    "content-type",
    "authorization",
    "if-match",
    "if-none-match",
    "idempotency-key",
  ]) {
    t.true(cors?.allowHeaders.includes(header), header);
  }
  for (const header of ["etag", "location", "x-request-id"])
    t.true(cors?.exposeHeaders.includes(header), header);
});

test("cdktf.json's context reaches synth and the local gateway alike", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "items-api-context-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const context = {
    corsAllowOrigins: ["https://ctx.example"],
    throttleRateLimit: 7,
    throttleBurstLimit: 9,
  };
  await writeFile(path.join(dir, "cdktf.json"), JSON.stringify({ context }));
  const contextOf = cdktfContextOf(dir);
  const local = readGatewaySettings({}, contextOf, "https-or-loopback-http");
  const deployed = await deployedGatewayOf(readStackConfig({}, contextOf));
  t.deepEqual(local.cors?.allowOrigins, ["https://ctx.example"]);
  t.deepEqual(deployed.api.cors_configuration.allow_origins, ["https://ctx.example"]);
  t.like(deployed.stage.default_route_settings, {
    throttling_rate_limit: 7,
    throttling_burst_limit: 9,
  });
  t.deepEqual(local.throttle, { rateLimit: 7, burstLimit: 9 });
});

test("an http issuer on loopback runs locally but never synthesizes", (t) => {
  const loopback = { ...env, ITEMS_API_JWT_ISSUER: "http://127.0.0.1:8080" };
  t.is(readLocalGatewaySettings(loopback).jwt?.issuer, "http://127.0.0.1:8080");
  t.throws(() => readStackConfig(loopback), { message: /ITEMS_API_JWT_ISSUER.*https/ });
  const remote = { ...env, ITEMS_API_JWT_ISSUER: "http://auth.example.com" };
  t.throws(() => readLocalGatewaySettings(remote), { message: /loopback/ });
});

test("the local server reaches its gateway settings without loading cdktf", async (t) => {
  const result = await build({
    entryPoints: [path.join(projectRoot, "scripts/local/start.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const imports = Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.map((i) => i.path),
  );
  t.true(imports.includes("jose"), "the walk sees the local server's packages");
  t.deepEqual(
    imports.filter((p) => /(^|\/)(@cdktf|cdktf|constructs)(\/|$)/.test(p)),
    [],
  );
});
