/**
 * HTTP API's JWT authorizer, as AWS documents it ("Control access to HTTP APIs with JWT
 * authorizers"): the token from the Authorization header, with or without `Bearer `; its
 * signature checked with the issuer's key (found through the issuer's discovery document) under
 * an RSA algorithm; `iss` equal to the issuer; `aud`, or `client_id` when there is no `aud`, one
 * of the audiences; `exp`, `nbf` and `iat` against the clock; and the route's scopes, if it has
 * some, in `scope` or `scp`. jose does the cryptography and the JWT rules; the clock is injected.
 */
import { errors, type JWTPayload, jwtVerify } from "jose";
import type { JwtSettings } from "../../common/gateway-settings.ts";
import { IssuerKeys, type IssuerKeysOptions } from "./issuer-keys.ts";

/** What the authorizer decided; `allowed` carries what the event's `authorizer.jwt` gets. */
export type Authorization =
  | { readonly kind: "allowed"; readonly jwt: AuthorizerJwt }
  | { readonly kind: "unauthorized"; readonly description: string }
  | { readonly kind: "forbidden" };

/** `requestContext.authorizer.jwt` as AWS shapes it: every claim's value is a string. */
export interface AuthorizerJwt {
  readonly claims: Record<string, string>;
  readonly scopes: string[] | null;
}

export interface JwtAuthorizerOptions extends Partial<Omit<IssuerKeysOptions, "issuer">> {
  readonly settings: JwtSettings;
}

// "Currently, only RSA-based algorithms are supported" (AWS): never `none`, never an HMAC, so a
// token signed with the issuer's public key as an HMAC secret is refused before any key is used.
const algorithms = ["RS256", "RS384", "RS512"];

/** Builds `authorize(authorizationHeader, routeKey)` for one issuer. */
export function createJwtAuthorizer(options: JwtAuthorizerOptions) {
  const { settings } = options;
  const now = options.now ?? Date.now;
  const keys = new IssuerKeys({ ...options, issuer: settings.issuer, now });

  return async function authorize(
    header: string | undefined,
    routeKey: string,
  ): Promise<Authorization> {
    const token = header?.replace(/^bearer(\s+|$)/i, "").trim() ?? "";
    if (token === "") return unauthorized("the authorization header is missing or empty");
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys.keyFor, {
        algorithms,
        issuer: settings.issuer,
        requiredClaims: ["exp"],
        currentDate: new Date(now()),
        clockTolerance: 0,
      }));
    } catch (error) {
      return unauthorized(describe(error));
    }
    if (typeof payload.iat === "number" && payload.iat * 1000 > now()) {
      return unauthorized("the token was issued in the future");
    }
    if (!hasValidAudience(payload, settings.audience)) {
      return unauthorized("the token does not have a valid audience");
    }
    const scopes = scopesOf(payload);
    const required = settings.routeScopes[routeKey] ?? [];
    if (required.length > 0 && !required.some((scope) => scopes.includes(scope))) {
      return { kind: "forbidden" };
    }
    return {
      kind: "allowed",
      jwt: { claims: claimsAsStrings(payload), scopes: scopes.length > 0 ? scopes : null },
    };
  };
}

function unauthorized(description: string): Authorization {
  return { kind: "unauthorized", description };
}

// AWS: "API Gateway validates client_id only if aud is not present."
function hasValidAudience(payload: JWTPayload, audience: readonly string[]): boolean {
  const { aud } = payload;
  const candidates = aud === undefined ? [payload.client_id] : Array.isArray(aud) ? aud : [aud];
  return candidates.some((value) => typeof value === "string" && audience.includes(value));
}

/** The token's scopes: `scope` (space-separated) or `scp` (a list, or space-separated). */
export function scopesOf(payload: JWTPayload): string[] {
  const value = payload.scope ?? payload.scp;
  const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(" ") : [];
  return list.filter((scope): scope is string => typeof scope === "string" && scope !== "");
}

/** Claims as the event carries them: strings as they are, others printed (`[a b]` for a list). */
export function claimsAsStrings(payload: JWTPayload): Record<string, string> {
  const text = (value: unknown): string => {
    if (typeof value === "string") return value;
    if (Array.isArray(value)) return `[${value.map(text).join(" ")}]`;
    if (typeof value === "object" && value !== null) return JSON.stringify(value);
    return String(value);
  };
  return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, text(value)]));
}

/** The `error_description` for a token jose refused. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf") return "the token is not valid yet";
    if (error.claim === "iss") return "the token does not have a valid issuer";
    if (error.claim === "exp") return "the token has no expiry";
    return `the token has an invalid ${error.claim} claim`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return "the token's signing algorithm is not allowed";
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "the token's signature is invalid";
  if (error instanceof errors.JWKSNoMatchingKey)
    return "no key of the issuer matches the token's kid";
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return "several keys of the issuer match the token";
  if (error instanceof IssuerKeys.UnavailableError) return error.message;
  if (error instanceof errors.JOSEError) return "the token is malformed";
  return "the token could not be verified";
}
