/**
 * What API Gateway does in front of the functions, in one place: the JWT authorizer, CORS and
 * the stage throttle. `infra/` synthesizes these values and `npm start` enforces the same
 * ones, so nothing is deployed that never ran locally. Each value comes from its `ITEMS_API_*`
 * environment variable, else the cdktf context (`context` in cdktf.json), else the default.
 * Plain data and no cdktf: the local server imports this module.
 */
import { routeKeyOf, routes } from "./routes.ts";

/** The JWT authorizer: every route requires a token from `issuer` for one of `audience`. */
export interface JwtSettings {
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Per route key (`POST /`), the scopes of which a token needs one; routes not listed need none. */
  readonly routeScopes: Readonly<Record<string, readonly string[]>>;
}

/** HTTP API's CORS configuration. */
export interface CorsSettings {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
  readonly allowCredentials: boolean;
}

/** The `$default` stage's throttle: a token bucket of `burstLimit` refilled `rateLimit` a second. */
export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface GatewaySettings {
  /** Absent: every route is open. */
  readonly jwt?: JwtSettings;
  /** Absent: no CORS configuration (preflights answer 404, as any unrouted request). */
  readonly cors?: CorsSettings;
  readonly throttle: ThrottleSettings;
}

/** The environment variable of each setting; its cdktf context key is the property name. */
export const gatewaySettingVariables = {
  throttleBurstLimit: "ITEMS_API_THROTTLE_BURST_LIMIT",
  throttleRateLimit: "ITEMS_API_THROTTLE_RATE_LIMIT",
  corsAllowOrigins: "ITEMS_API_CORS_ALLOW_ORIGINS",
  corsAllowMethods: "ITEMS_API_CORS_ALLOW_METHODS",
  corsAllowHeaders: "ITEMS_API_CORS_ALLOW_HEADERS",
  corsExposeHeaders: "ITEMS_API_CORS_EXPOSE_HEADERS",
  corsMaxAge: "ITEMS_API_CORS_MAX_AGE",
  corsAllowCredentials: "ITEMS_API_CORS_ALLOW_CREDENTIALS",
  jwtIssuer: "ITEMS_API_JWT_ISSUER",
  jwtAudience: "ITEMS_API_JWT_AUDIENCE",
  jwtRouteScopes: "ITEMS_API_JWT_ROUTE_SCOPES",
} as const;

/** CORS defaults: what a browser client of this API needs. */
export const defaultCors = {
  allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
  // Every request header the API reads beyond the CORS-safelisted ones.
  allowHeaders: ["authorization", "content-type", "idempotency-key", "if-match", "if-none-match"],
  // Every response header the API sets that a script needs, conditional requests included.
  exposeHeaders: ["etag", "idempotent-replayed", "link", "location", "retry-after", "x-request-id"],
  // Browsers keep a preflight's answer for an hour (most cap it lower).
  maxAgeSeconds: 3600,
  allowCredentials: false,
} as const;

/** API Gateway reads an unset throttle as 0, which blocks every request: always set both. */
export const defaultThrottle: ThrottleSettings = { burstLimit: 100, rateLimit: 50 };

/** Reads one setting by its key: environment first, then cdktf context; errors name both. */
export function settingReader<K extends string>(
  variables: Readonly<Record<K, string>>,
  env: NodeJS.ProcessEnv,
  contextOf: (key: string) => unknown,
) {
  const raw = (setting: K): unknown => {
    const value = env[variables[setting]] ?? contextOf(setting);
    return value === undefined || value === null || value === "" ? undefined : value;
  };
  const read = (setting: K): string | undefined => {
    const value = raw(setting);
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value.join(",") : String(value);
  };
  const fail = (setting: K, rule: string): never => {
    throw new Error(`${variables[setting]} (context "${setting}") ${rule}`);
  };
  const integer = (setting: K, fallback: number, min: number, max: number): number => {
    const text = read(setting);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(setting, `must be an integer from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
  const list = (setting: K): string[] | undefined => {
    const text = read(setting);
    if (text === undefined) return undefined;
    return text
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  };
  return { raw, read, fail, integer, list };
}

/**
 * Who may be the issuer: `synth` deploys only an https one (API Gateway fetches its keys over
 * https); the local server also takes plain http on a loopback address, for a local issuer.
 */
export type IssuerRule = "https" | "https-or-loopback-http";

/** Reads the gateway settings; throws, naming the variable, on a bad value. */
export function readGatewaySettings(
  env: NodeJS.ProcessEnv,
  contextOf: (key: string) => unknown = () => undefined,
  issuerRule: IssuerRule = "https",
): GatewaySettings {
  const reader = settingReader(gatewaySettingVariables, env, contextOf);
  const { integer } = reader;
  const jwt = readJwt(reader, issuerRule);
  const cors = readCors(reader);
  return {
    ...(jwt && { jwt }),
    ...(cors && { cors }),
    throttle: {
      burstLimit: integer("throttleBurstLimit", defaultThrottle.burstLimit, 1, 5000),
      rateLimit: integer("throttleRateLimit", defaultThrottle.rateLimit, 1, 10000),
    },
  };
}

type Reader = ReturnType<typeof settingReader<keyof typeof gatewaySettingVariables>>;

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True for an http issuer on a loopback address (accepted locally, never deployed). */
export function isLoopbackHttpIssuer(issuer: string): boolean {
  const url = urlOf(issuer);
  return url?.protocol === "http:" && loopbackHosts.has(url.hostname);
}

function readJwt({ read, list, raw, fail }: Reader, issuerRule: IssuerRule) {
  const issuer = read("jwtIssuer");
  const audience = list("jwtAudience") ?? [];
  const scopesValue = raw("jwtRouteScopes");
  if ((issuer === undefined) !== (audience.length === 0)) {
    fail(issuer ? "jwtAudience" : "jwtIssuer", "must be set together with the other JWT setting");
  }
  if (issuer === undefined) {
    if (scopesValue !== undefined) fail("jwtRouteScopes", "needs ITEMS_API_JWT_ISSUER");
    return undefined;
  }
  const url = urlOf(issuer);
  const https = url?.protocol === "https:" && url.hostname !== "";
  if (!https && !(issuerRule === "https-or-loopback-http" && isLoopbackHttpIssuer(issuer))) {
    fail(
      "jwtIssuer",
      issuerRule === "https"
        ? `must be an https URL, got "${issuer}"`
        : `must be an https URL, or http on a loopback address, got "${issuer}"`,
    );
  }
  const routeScopes = routeScopesOf(scopesValue, (rule) => fail("jwtRouteScopes", rule));
  return { issuer, audience, routeScopes };
}

function urlOf(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

const routeKeys: readonly string[] = routes.map(routeKeyOf);

/**
 * `POST /=items:write; DELETE /{id}=items:write items:admin` (environment), or the same as an
 * object of route key to scope list (cdktf context).
 */
function routeScopesOf(
  value: unknown,
  fail: (rule: string) => never,
): Record<string, readonly string[]> {
  if (value === undefined) return {};
  const entries: [string, unknown][] =
    typeof value === "object"
      ? Object.entries(value as object)
      : String(value)
          .split(";")
          .filter((entry) => entry.trim() !== "")
          .map((entry) => {
            const eq = entry.indexOf("=");
            if (eq === -1) fail(`needs ROUTE=SCOPES entries separated by ";", got "${entry}"`);
            return [entry.slice(0, eq).trim(), entry.slice(eq + 1)];
          });
  const scopes: Record<string, readonly string[]> = {};
  for (const [routeKey, list] of entries) {
    if (!routeKeys.includes(routeKey)) {
      fail(`names "${routeKey}", not a route (${routeKeys.join(", ")})`);
    }
    const names = (Array.isArray(list) ? list.map(String) : String(list).split(/[\s,]+/)).filter(
      (s) => s !== "",
    );
    if (names.length === 0) fail(`gives "${routeKey}" no scope`);
    scopes[routeKey] = names;
  }
  return scopes;
}

const originPattern =
  /^(\*|https?:\/\/\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?|https?:\/\/\[[0-9a-f:]+\](:\d{1,5})?)$/i;
const methods = new Set(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "*"]);
const headerName = /^(\*|[!#$%&'*+.^_`|~0-9a-z-]+)$/;

function readCors({ read, list, integer, fail }: Reader): CorsSettings | undefined {
  const allowOrigins = list("corsAllowOrigins") ?? [];
  const others = [
    "corsAllowMethods",
    "corsAllowHeaders",
    "corsExposeHeaders",
    "corsMaxAge",
    "corsAllowCredentials",
  ] as const;
  if (allowOrigins.length === 0) {
    for (const setting of others) {
      if (read(setting) !== undefined)
        fail(setting, "has no effect without ITEMS_API_CORS_ALLOW_ORIGINS");
    }
    return undefined;
  }
  for (const origin of allowOrigins) {
    if (!originPattern.test(origin)) {
      fail(
        "corsAllowOrigins",
        `takes "*", "https://*", "http://*" or scheme://host[:port], got "${origin}"`,
      );
    }
  }
  const allowMethods = (list("corsAllowMethods") ?? [...defaultCors.allowMethods]).map((m) =>
    m.toUpperCase(),
  );
  for (const method of allowMethods) {
    if (!methods.has(method)) fail("corsAllowMethods", `names an unknown method "${method}"`);
  }
  const headers = (
    setting: "corsAllowHeaders" | "corsExposeHeaders",
    fallback: readonly string[],
  ) => {
    const names = (list(setting) ?? [...fallback]).map((h) => h.toLowerCase());
    for (const name of names)
      if (!headerName.test(name)) fail(setting, `names an invalid header "${name}"`);
    return names;
  };
  const credentials = read("corsAllowCredentials") ?? "false";
  if (credentials !== "true" && credentials !== "false") {
    fail("corsAllowCredentials", `must be true or false, got "${credentials}"`);
  }
  const allowCredentials = credentials === "true";
  if (allowCredentials && allowOrigins.includes("*")) {
    fail("corsAllowCredentials", `cannot be true while ITEMS_API_CORS_ALLOW_ORIGINS allows "*"`);
  }
  return {
    allowOrigins,
    allowMethods,
    allowHeaders: headers("corsAllowHeaders", defaultCors.allowHeaders),
    exposeHeaders: headers("corsExposeHeaders", defaultCors.exposeHeaders),
    maxAgeSeconds: integer("corsMaxAge", defaultCors.maxAgeSeconds, 0, 86400),
    allowCredentials,
  };
}
