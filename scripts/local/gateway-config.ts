/**
 * The gateway settings `npm start` enforces: read exactly as `synth` reads them (environment,
 * then cdktf.json's context, then the defaults; common/gateway-settings.ts), except that an
 * http issuer on a loopback address is accepted too. And how the start banner shows them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  type GatewaySettings,
  isLoopbackHttpIssuer,
  readGatewaySettings,
} from "../../common/gateway-settings.ts";
import { projectRoot } from "../build.ts";

/** cdktf.json's `context`, which `cdktf synth` hands the app. */
export function cdktfContextOf(root = projectRoot): (key: string) => unknown {
  const file = JSON.parse(readFileSync(path.join(root, "cdktf.json"), "utf8")) as {
    context?: Record<string, unknown>;
  };
  const context = file.context ?? {};
  return (key) => context[key];
}

/** The deploy's gateway settings, as the local gateway enforces them. */
export function readLocalGatewaySettings(env: NodeJS.ProcessEnv): GatewaySettings {
  return readGatewaySettings(env, cdktfContextOf(), "https-or-loopback-http");
}

/** One line each for the JWT authorizer, CORS and the throttle: on or off, and with what. */
export function describeGateway(settings: Partial<GatewaySettings>): string[] {
  const { jwt, cors, throttle } = settings;
  const scopes = Object.entries(jwt?.routeScopes ?? {}).map(
    ([route, names]) => `${route} needs ${names.join(" or ")}`,
  );
  const local =
    jwt && isLoopbackHttpIssuer(jwt.issuer)
      ? " (http on loopback: local only, synth refuses it)"
      : "";
  return [
    jwt
      ? `  jwt    on: issuer ${jwt.issuer}${local}, audience ${jwt.audience.join(", ")}; ${scopes.length > 0 ? scopes.join("; ") : "no route scopes"}`
      : "  jwt    off: routes are open (set ITEMS_API_JWT_ISSUER and ITEMS_API_JWT_AUDIENCE, or --local-auth)",
    cors
      ? `  cors   on: origins ${cors.allowOrigins.join(", ")}; methods ${cors.allowMethods.join(",")}; headers ${cors.allowHeaders.join(",")}; exposed ${cors.exposeHeaders.join(",")}; max age ${cors.maxAgeSeconds} s; credentials ${cors.allowCredentials}`
      : "  cors   off: no CORS configuration (set ITEMS_API_CORS_ALLOW_ORIGINS)",
    throttle
      ? `  limit  on: ${throttle.rateLimit} requests/s, burst ${throttle.burstLimit}; over it 429`
      : "  limit  off",
  ];
}
