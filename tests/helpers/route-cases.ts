/**
 * The fault tests' case table: one well-formed request per route of the API, built from the
 * route table (`common/routes.ts`), in both shapes a test sends (a payload 2.0 event for a
 * handler, raw HTTP for the local server), plus the variants that take another path through a
 * function (a query, a condition). A database fault must get the same answer from each.
 */
import { routeKeyOf, routes } from "../../common/routes.ts";
import type { EventOptions } from "./events.ts";
import type { FunctionName } from "./handlers.ts";
import type { RawRequest } from "./raw-http.ts";

export interface RouteCase {
  /** The route key and the variant, e.g. `PUT /{id} with If-Match`. */
  readonly title: string;
  /** The route key, e.g. `PUT /{id}`. */
  readonly route: string;
  readonly name: FunctionName;
  readonly event: EventOptions;
  readonly request: RawRequest;
}

interface Variant {
  readonly label: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
}

const ifMatch: Variant = { label: "with If-Match", headers: { "if-match": '"1"' } };
const variantsOf: Partial<Record<FunctionName, readonly Variant[]>> = {
  "list-items": [{ label: "with a limit", query: { limit: "5" } }],
  "update-item": [ifMatch],
  "delete-item": [ifMatch],
};

const body = { name: "changed", description: "by a fault test" };

function caseOf(route: (typeof routes)[number], id: string, variant?: Variant): RouteCase {
  const method = route.method;
  const withId = route.path === "/{id}";
  const json = method === "POST" || method === "PUT" ? body : undefined;
  const query = variant?.query ? `?${new URLSearchParams(variant.query)}` : "";
  const headers: [string, string][] = [
    ...(json ? [["Content-Type", "application/json"] as [string, string]] : []),
    ...Object.entries(variant?.headers ?? {}),
  ];
  return {
    title: variant ? `${routeKeyOf(route)} ${variant.label}` : routeKeyOf(route),
    route: routeKeyOf(route),
    name: route.name,
    event: {
      method,
      ...(withId ? { id } : {}),
      ...(variant?.query ? { query: variant.query } : {}),
      ...(variant?.headers ? { headers: variant.headers } : {}),
      ...(json ? { json } : {}),
    },
    request: {
      method,
      target: `/${withId ? id : ""}${query}`,
      ...(headers.length > 0 ? { headers } : {}),
      ...(json ? { body: JSON.stringify(json) } : {}),
    },
  };
}

/** One plain request per route, about the item `id` (valid one after another once it exists). */
export function oneCasePerRoute(id: string): RouteCase[] {
  return routes.map((route) => caseOf(route, id));
}

/** Every route's plain request, each followed by its variants. */
export function everyRouteCase(id: string): RouteCase[] {
  return routes.flatMap((route) => [
    caseOf(route, id),
    ...(variantsOf[route.name] ?? []).map((variant) => caseOf(route, id, variant)),
  ]);
}
