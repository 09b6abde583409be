/**
 * The authorizer's view of an issuer's keys, directly: cached, fetched again after two hours,
 * and an issuer that cannot be reached refuses tokens without being asked more than once per
 * cooldown. The clock is the test's.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import test from "ava";
import { createJwtAuthorizer } from "../../scripts/local/jwt-authorizer.ts";
import { startLocalIssuer } from "../../scripts/local/local-issuer.ts";

test("keys are cached, and fetched again once they are two hours old", async (t) => {
  const issuer = await startLocalIssuer();
  t.teardown(() => issuer.close());
  let now = Date.now();
  const authorize = createJwtAuthorizer({
    settings: { issuer: issuer.issuer, audience: ["api"], routeScopes: {} },
    now: () => now,
  });
  // Times from the test's clock, which stands still unless the test moves it.
  const issuedAt = Math.floor(now / 1000);
  const token = () =>
    issuer.signClaims({
      iss: issuer.issuer,
      sub: "a",
      aud: "api",
      iat: issuedAt,
      exp: issuedAt + 4 * 3600,
    });
  for (let i = 0; i < 3; i += 1) t.is((await authorize(await token(), "GET /")).kind, "allowed");
  t.is(issuer.keySetFetches(), 1);
  now += 2 * 60 * 60 * 1000 - 1;
  t.is((await authorize(await token(), "GET /")).kind, "allowed");
  t.is(issuer.keySetFetches(), 1);
  now += 1;
  t.is((await authorize(await token(), "GET /")).kind, "allowed");
  t.is(issuer.keySetFetches(), 2);
});

test("an issuer whose keys cannot be fetched answers 401, and is asked again only after the cooldown", async (t) => {
  let requests = 0;
  const down = createServer((_req, res) => {
    requests += 1;
    res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => down.close(() => resolve())));
  const issuer = `http://127.0.0.1:${(down.address() as AddressInfo).port}`;
  let now = Date.now();
  const authorize = createJwtAuthorizer({
    settings: { issuer, audience: ["api"], routeScopes: {} },
    now: () => now,
  });
  // Any well-formed RS256 token will do: it is refused before its signature matters.
  const other = await startLocalIssuer();
  t.teardown(() => other.close());
  const token = await other.sign({ sub: "a", audience: "api" });
  const first = await authorize(token, "GET /");
  t.like(first, { kind: "unauthorized" });
  t.regex(first.kind === "unauthorized" ? first.description : "", /unavailable/);
  t.is(requests, 1, "one request: the discovery document");
  for (let i = 0; i < 5; i += 1) t.like(await authorize(token, "GET /"), { kind: "unauthorized" });
  t.is(requests, 1);
  now += 30_000;
  await authorize(token, "GET /");
  t.is(requests, 2);
});

test("stale keys keep serving while the issuer is down, and it is asked again only after the cooldown", async (t) => {
  const issuer = await startLocalIssuer();
  t.teardown(() => issuer.close());
  // The configured issuer is a front that forwards discovery while `up` and counts each ask.
  let up = true;
  let asks = 0;
  const front = createServer(async (_req, res) => {
    asks += 1;
    if (!up) return res.writeHead(503).end();
    const discovery = await fetch(`${issuer.issuer}/.well-known/openid-configuration`);
    res.writeHead(200, { "content-type": "application/json" }).end(await discovery.text());
  });
  await new Promise<void>((resolve) => front.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => front.close(() => resolve())));
  const frontIssuer = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  let now = Date.now();
  const authorize = createJwtAuthorizer({
    settings: { issuer: frontIssuer, audience: ["api"], routeScopes: {} },
    now: () => now,
  });
  const issuedAt = Math.floor(now / 1000);
  const token = () =>
    issuer.signClaims({
      iss: frontIssuer,
      sub: "a",
      aud: "api",
      iat: issuedAt,
      exp: issuedAt + 4 * 3600,
    });
  t.is((await authorize(await token(), "GET /")).kind, "allowed");
  t.is(asks, 1);
  up = false;
  now += 2 * 60 * 60 * 1000;
  t.is((await authorize(await token(), "GET /")).kind, "allowed", "the stale keys still serve");
  t.is(asks, 2, "one attempt to refresh them");
  for (let i = 0; i < 5; i += 1) t.is((await authorize(await token(), "GET /")).kind, "allowed");
  t.is(asks, 2, "no attempt within the cooldown");
  now += 30_000;
  t.is((await authorize(await token(), "GET /")).kind, "allowed");
  t.is(asks, 3);
});
