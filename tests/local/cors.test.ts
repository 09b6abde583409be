/**
 * CORS as HTTP API's CORS configuration applies it, with the defaults a browser client needs:
 * the gateway answers preflights itself (no authorizer, no function), adds its headers to every
 * answer to an allowed origin, none to another origin, and drops the function's own.
 */
import test from "ava";
import { readGatewaySettings } from "../../common/gateway-settings.ts";
import { type LocalIssuer, startLocalIssuer } from "../../scripts/local/local-issuer.ts";
import { type FixtureServer, startFixtureServer } from "./fixture-server.ts";

const allowed = "http://localhost:5173";
let issuer: LocalIssuer;
let server: FixtureServer;
let plain: FixtureServer;
const routes = [
  { method: "GET", path: "/tally", name: "tally" },
  { method: "PUT", path: "/tally/{id}", name: "tally" },
];

test.before(async () => {
  issuer = await startLocalIssuer();
  const settings = readGatewaySettings(
    {
      ITEMS_API_CORS_ALLOW_ORIGINS: `${allowed},https://app.example`,
      ITEMS_API_JWT_ISSUER: issuer.issuer,
      ITEMS_API_JWT_AUDIENCE: "items-api",
    },
    () => undefined,
    "https-or-loopback-http",
  );
  server = await startFixtureServer({
    routes,
    gateway: { cors: settings.cors, jwt: settings.jwt },
  });
  plain = await startFixtureServer({ routes });
});

test.after.always(async () => {
  await Promise.all([server?.close(), plain?.close()]);
  await issuer?.close();
});

const invocations = (s: FixtureServer) =>
  s.output.filter((c) => c.includes("tally: invoked")).length;
const accessControl = (response: Response) =>
  Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-")));

function preflight(target: FixtureServer, origin: string) {
  return fetch(`${target.url}/tally/x`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "PUT",
      "access-control-request-headers": "authorization,content-type,if-match",
    },
  });
}

test.serial(
  "a preflight from an allowed origin gets the configured CORS answer from the gateway",
  async (t) => {
    const before = invocations(server);
    const response = await preflight(server, allowed);
    t.is(response.status, 204);
    t.deepEqual(accessControl(response), {
      "access-control-allow-origin": allowed,
      "access-control-allow-methods": "GET,POST,PUT,DELETE,OPTIONS",
      "access-control-allow-headers":
        "authorization,content-type,idempotency-key,if-match,if-none-match",
      "access-control-max-age": "3600",
    });
    t.is(await response.text(), "");
    t.is(invocations(server), before, "no function, and no authorizer, answered the preflight");
  },
);

test.serial("a preflight from another origin gets 204 without any CORS header", async (t) => {
  const response = await preflight(server, "https://evil.example");
  t.is(response.status, 204);
  t.deepEqual(accessControl(response), {});
});

test.serial(
  "without a CORS configuration a preflight is routed like any request: 404",
  async (t) => {
    const response = await preflight(plain, allowed);
    t.is(response.status, 404);
    t.is(await response.text(), '{"message":"Not Found"}');
  },
);

test.serial(
  "an answer to an allowed origin carries the gateway's CORS headers, not the function's",
  async (t) => {
    const token = await issuer.sign({ sub: "alice", audience: "items-api" });
    const response = await fetch(`${server.url}/tally`, {
      headers: { origin: "https://app.example", authorization: `Bearer ${token}` },
    });
    t.is(response.status, 200);
    t.deepEqual(accessControl(response), {
      "access-control-allow-origin": "https://app.example",
      "access-control-expose-headers":
        "etag,idempotent-replayed,link,location,retry-after,x-request-id",
    });
    t.is(response.headers.get("etag"), '"1"');
  },
);

test.serial(
  "an answer to another origin, or to no origin, carries no CORS header at all",
  async (t) => {
    const token = await issuer.sign({ sub: "alice", audience: "items-api" });
    const origins: Record<string, string>[] = [{ origin: "https://evil.example" }, {}];
    for (const headers of origins) {
      const response = await fetch(`${server.url}/tally`, {
        headers: { ...headers, authorization: `Bearer ${token}` },
      });
      t.is(response.status, 200);
      t.deepEqual(accessControl(response), {}, "the function's own header is dropped too");
    }
  },
);

test.serial(
  "the gateway's own answers carry the CORS headers, so a browser can read a 401",
  async (t) => {
    const response = await fetch(`${server.url}/tally`, { headers: { origin: allowed } });
    t.is(response.status, 401);
    t.is(response.headers.get("access-control-allow-origin"), allowed);
  },
);

test.serial("without a CORS configuration the function's headers pass as they are", async (t) => {
  const response = await fetch(`${plain.url}/tally`, { headers: { origin: allowed } });
  t.is(response.headers.get("access-control-allow-origin"), "https://function.example");
});
