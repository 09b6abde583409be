/**
 * Routing as an HTTP API does it, on the shared route table: exact methods, one segment per
 * `{id}`, no trailing-slash or case folding.
 */
import test from "ava";
import { routes } from "../../common/routes.ts";
import { createRouteMatcher } from "../../scripts/local/route-matcher.ts";

const matchRoute = createRouteMatcher(routes);

const cases: Array<[string, string, string | undefined, Record<string, string>?]> = [
  ["POST", "/", "create-item"],
  ["GET", "/", "list-items"],
  ["GET", "/abc", "get-item", { id: "abc" }],
  ["PUT", "/abc", "update-item", { id: "abc" }],
  ["DELETE", "/abc", "delete-item", { id: "abc" }],
  ["GET", "/a b/é", undefined],
  ["GET", "/a b", "get-item", { id: "a b" }],
  ["GET", "/{id}", "get-item", { id: "{id}" }],
  ["GET", "/abc/", undefined],
  ["GET", "//", undefined],
  ["GET", "/a/b", undefined],
  ["GET", "", undefined],
  ["HEAD", "/", undefined],
  ["OPTIONS", "/abc", undefined],
  ["PATCH", "/abc", undefined],
  ["PUT", "/", undefined],
  ["DELETE", "/", undefined],
  ["get", "/", undefined],
];

for (const [method, path, name, pathParameters] of cases) {
  test(`routes ${method} ${JSON.stringify(path)} to ${name ?? "nothing"}`, (t) => {
    const match = matchRoute(method, path);
    t.is(match?.route.name as string | undefined, name);
    t.deepEqual(match?.pathParameters, pathParameters);
  });
}

test("gives the route key API Gateway puts in the event", (t) => {
  t.is(matchRoute("GET", "/abc")?.routeKey, "GET /{id}");
  t.is(matchRoute("GET", "/")?.routeKey, "GET /");
});

test("prefers a literal segment to a path parameter", (t) => {
  const match = createRouteMatcher([
    { method: "GET", path: "/{id}", name: "by-id" },
    { method: "GET", path: "/health", name: "health" },
  ]);
  t.is(match("GET", "/health")?.route.name, "health");
  t.is(match("GET", "/other")?.route.name, "by-id");
});
