/**
 * The local gateway's JWT authorizer against a real issuer this test starts: RSA keys, a
 * discovery document and a key set served over HTTP on loopback. Each refused token gets API
 * Gateway's 401 (or 403 for a missing scope) and never reaches the function, which counts what
 * it sees. The gateway's clock is the test's, so the key cache's cooldown is stepped, not waited.
 */
import test from "ava";
import {
  type CryptoKey,
  exportSPKI,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import { type LocalIssuer, startLocalIssuer } from "../../scripts/local/local-issuer.ts";
import { type FixtureServer, startFixtureServer } from "./fixture-server.ts";

interface TallyAnswer {
  event: {
    requestContext: {
      authorizer?: { jwt: { claims: Record<string, string>; scopes: string[] | null } };
    };
  };
}

let issuer: LocalIssuer;
let server: FixtureServer;
// The gateway's clock: it stands still unless a test moves it, so no cooldown runs out by itself.
let clock = Date.now();
const audience = "items-api";

test.before(async () => {
  issuer = await startLocalIssuer();
  server = await startFixtureServer({
    routes: [
      { method: "GET", path: "/tally", name: "tally" },
      { method: "POST", path: "/tally", name: "tally" },
    ],
    gateway: {
      jwt: {
        issuer: issuer.issuer,
        audience: [audience, "another-api"],
        routeScopes: { "POST /tally": ["items:write", "items:admin"] },
      },
    },
    now: () => clock,
  });
});

test.after.always(async () => {
  await server?.close();
  await issuer?.close();
});

const seconds = () => Math.floor(clock / 1000);
const invocations = () => server.output.filter((chunk) => chunk.includes("tally: invoked")).length;

/** Claims of a token that passes, with `overrides` applied (undefined removes a claim). */
function claims(overrides: JWTPayload = {}): JWTPayload {
  const base = {
    iss: issuer.issuer,
    sub: "alice",
    aud: audience,
    iat: seconds(),
    exp: seconds() + 600,
  };
  return Object.fromEntries(
    Object.entries({ ...base, ...overrides }).filter(([, value]) => value !== undefined),
  );
}

async function call(authorization: string | undefined, method = "GET") {
  const before = invocations();
  const response = await fetch(`${server.url}/tally`, {
    method,
    headers: authorization === undefined ? {} : { authorization },
  });
  const body = await response.text();
  return {
    status: response.status,
    body,
    challenge: response.headers.get("www-authenticate"),
    invoked: invocations() - before,
  };
}

/** Asserts API Gateway's 401 with the reason in `www-authenticate`, and no invocation. */
async function assertUnauthorized(
  t: import("ava").ExecutionContext,
  authorization: string | undefined,
  reason: RegExp,
) {
  const answer = await call(authorization);
  t.is(answer.status, 401);
  t.is(answer.body, '{"message":"Unauthorized"}');
  t.regex(
    answer.challenge ?? "",
    /^Bearer scope="" error="invalid_token" error_description="[^"]+"$/,
  );
  t.regex(answer.challenge ?? "", reason);
  t.is(answer.invoked, 0, "the function saw the request");
}

test.serial(
  "a valid token reaches the function with its claims as strings and its scopes",
  async (t) => {
    const payload = claims({ scope: "items:read items:write", n: 7, groups: ["a", "b"] });
    const token = await issuer.signClaims(payload);
    const response = await fetch(`${server.url}/tally`, {
      headers: { authorization: `Bearer ${token}` },
    });
    t.is(response.status, 200);
    const { event } = (await response.json()) as TallyAnswer;
    const jwt = event.requestContext.authorizer?.jwt;
    t.like(jwt?.claims, {
      sub: "alice",
      aud: audience,
      iss: issuer.issuer,
      n: "7",
      groups: "[a b]",
    });
    t.is(jwt?.claims.exp, String(payload.exp));
    t.deepEqual(jwt?.scopes, ["items:read", "items:write"]);
  },
);

test.serial("the token is accepted without the Bearer prefix too", async (t) => {
  const answer = await call(await issuer.signClaims(claims()));
  t.is(answer.status, 200);
  t.is(answer.invoked, 1);
});

test.serial("a missing or empty Authorization header answers 401", async (t) => {
  await assertUnauthorized(t, undefined, /missing/);
  await assertUnauthorized(t, "Bearer ", /missing/);
});

test.serial("an expired token answers 401", async (t) => {
  const token = await issuer.signClaims(claims({ iat: seconds() - 120, exp: seconds() - 60 }));
  await assertUnauthorized(t, `Bearer ${token}`, /expired/);
});

test.serial("a token without exp answers 401", async (t) => {
  await assertUnauthorized(
    t,
    `Bearer ${await issuer.signClaims(claims({ exp: undefined }))}`,
    /exp/,
  );
});

test.serial("a token not valid yet (nbf) or issued in the future (iat) answers 401", async (t) => {
  await assertUnauthorized(
    t,
    `Bearer ${await issuer.signClaims(claims({ nbf: seconds() + 60 }))}`,
    /not valid yet/,
  );
  await assertUnauthorized(
    t,
    `Bearer ${await issuer.signClaims(claims({ iat: seconds() + 60 }))}`,
    /future/,
  );
});

test.serial("a token of another issuer answers 401, though its signature is good", async (t) => {
  const token = await issuer.signClaims(claims({ iss: "https://other.example" }));
  await assertUnauthorized(t, `Bearer ${token}`, /issuer/);
});

test.serial("a token for another audience answers 401", async (t) => {
  const token = await issuer.signClaims(claims({ aud: "someone-else" }));
  await assertUnauthorized(t, `Bearer ${token}`, /the token does not have a valid audience/);
});

test.serial("client_id stands in for aud only when there is no aud", async (t) => {
  const withClientId = await issuer.signClaims(
    claims({ aud: undefined, client_id: "another-api" }),
  );
  t.is((await call(`Bearer ${withClientId}`)).status, 200);
  const both = await issuer.signClaims(claims({ aud: "someone-else", client_id: audience }));
  await assertUnauthorized(t, `Bearer ${both}`, /audience/);
  const neither = await issuer.signClaims(claims({ aud: undefined }));
  await assertUnauthorized(t, `Bearer ${neither}`, /audience/);
});

test.serial("a token signed by another key under the issuer's kid answers 401", async (t) => {
  const { privateKey } = await generateKeyPair("RS256");
  const forged = await new SignJWT(claims())
    .setProtectedHeader({ alg: "RS256", kid: issuer.currentKid() })
    .sign(privateKey);
  await assertUnauthorized(t, `Bearer ${forged}`, /signature/);
  const [header, payload] = (await issuer.signClaims(claims())).split(".");
  await assertUnauthorized(t, `Bearer ${header}.${payload}.${"A".repeat(342)}`, /signature/);
});

test.serial("alg none answers 401", async (t) => {
  const unsecured = new UnsecuredJWT(claims()).encode();
  await assertUnauthorized(t, `Bearer ${unsecured}`, /algorithm/);
});

test.serial("HS256 keyed with the issuer's public key answers 401", async (t) => {
  // What an attacker can do: fetch the public key and use it as an HMAC secret.
  const jwks = (await (await fetch(`${issuer.issuer}/jwks.json`)).json()) as JSONWebKeySet;
  const [jwk] = jwks.keys;
  const publicPem = await exportSPKI((await importJWK(jwk ?? {}, "RS256")) as CryptoKey);
  for (const secret of [publicPem, JSON.stringify(jwk)]) {
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: "HS256", kid: issuer.currentKid() })
      .sign(new TextEncoder().encode(secret));
    await assertUnauthorized(t, `Bearer ${token}`, /algorithm/);
  }
});

test.serial("a malformed token answers 401", async (t) => {
  for (const token of [
    "abc",
    "a.b.c",
    "Bearer",
    "e30.e30",
    `${"x".repeat(40)}.${"y".repeat(40)}.z`,
  ]) {
    await assertUnauthorized(t, `Bearer ${token}`, /malformed|missing/);
  }
});

test.serial(
  "a route's scopes: a token with none of them answers 403, scope or scp with one passes",
  async (t) => {
    const noScope = await call(
      `Bearer ${await issuer.signClaims(claims({ scope: "items:read" }))}`,
      "POST",
    );
    t.is(noScope.status, 403);
    t.is(noScope.body, '{"message":"Forbidden"}');
    t.is(noScope.invoked, 0);
    const scope = await call(
      `Bearer ${await issuer.signClaims(claims({ scope: "items:read items:admin" }))}`,
      "POST",
    );
    t.is(scope.status, 200);
    const scp = await call(
      `Bearer ${await issuer.signClaims(claims({ scp: ["items:write"] }))}`,
      "POST",
    );
    t.is(scp.status, 200);
    // GET /tally has no scopes: any valid token passes.
    t.is((await call(`Bearer ${await issuer.signClaims(claims())}`)).status, 200);
  },
);

test.serial(
  "an unknown kid refetches the key set at most once per cooldown, then a rotated key is accepted",
  async (t) => {
    t.is((await call(await issuer.signClaims(claims()))).status, 200); // keys cached
    const fetchesBefore = issuer.keySetFetches();
    await issuer.rotateKey();
    const rotated = () => issuer.signClaims(claims());
    // Within the cooldown of the last fetch, unknown kids never reach the issuer.
    for (let i = 0; i < 5; i += 1) {
      await assertUnauthorized(t, `Bearer ${await rotated()}`, /kid/);
    }
    t.is(issuer.keySetFetches(), fetchesBefore);
    clock += 30_000;
    const accepted = await call(`Bearer ${await rotated()}`);
    t.is(accepted.status, 200);
    t.is(accepted.invoked, 1);
    t.is(issuer.keySetFetches(), fetchesBefore + 1);
    // A made-up kid right after: refused, and no fetch (the cooldown bounds them).
    const { privateKey } = await generateKeyPair("RS256");
    const madeUp = await new SignJWT(claims())
      .setProtectedHeader({ alg: "RS256", kid: "made-up" })
      .sign(privateKey);
    for (let i = 0; i < 5; i += 1) await assertUnauthorized(t, `Bearer ${madeUp}`, /kid/);
    t.is(issuer.keySetFetches(), fetchesBefore + 1);
  },
);
