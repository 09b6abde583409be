/**
 * Matches a request to a route the way an HTTP API does: the method exactly, the path segment by
 * segment. No trailing-slash folding, no case folding, no implicit HEAD; `{name}` takes exactly
 * one non-empty segment. The path is already percent-decoded (see `splitTarget`).
 */

/** The least a route needs to be served locally (the shared route table fits). */
export interface LocalRoute {
  readonly method: string;
  /** As in API Gateway's route key, e.g. `/{id}`. */
  readonly path: string;
  /** Function name: `dist/<name>/index.mjs`. */
  readonly name: string;
  /** Set on a route granted the idempotency table: its function is told the table's name. */
  readonly idempotencyTableActions?: readonly string[];
  /** Set on a route whose function signs page tokens: it is given the page-token key. */
  readonly signsPageTokens?: true;
}

/** A route that matched, with the values of its path parameters. */
export interface RouteMatch<R extends LocalRoute> {
  readonly route: R;
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
}

type Segment = { readonly literal: string } | { readonly parameter: string };

/** Compiles routes into a function answering which one (if any) serves a method and path. */
export function createRouteMatcher<R extends LocalRoute>(routes: readonly R[]) {
  const compiled = routes.map((route) => ({ route, segments: segmentsOf(route.path) }));
  // Literal segments win over parameters, as in API Gateway ("most specific match").
  const parameterCount = (segments: Segment[]) => segments.filter((s) => "parameter" in s).length;
  compiled.sort((a, b) => parameterCount(a.segments) - parameterCount(b.segments));

  return function matchRoute(method: string, path: string): RouteMatch<R> | undefined {
    if (!path.startsWith("/")) return undefined;
    const parts = path === "/" ? [] : path.slice(1).split("/");
    for (const { route, segments } of compiled) {
      if (route.method !== method || segments.length !== parts.length) continue;
      const pathParameters: Record<string, string> = {};
      const matches = segments.every((segment, i) => {
        const part = parts[i] ?? "";
        if ("literal" in segment) return segment.literal === part;
        pathParameters[segment.parameter] = part;
        return part !== "";
      });
      if (!matches) continue;
      const routeKey = `${route.method} ${route.path}`;
      return Object.keys(pathParameters).length > 0
        ? { route, routeKey, pathParameters }
        : { route, routeKey };
    }
    return undefined;
  };
}

function segmentsOf(path: string): Segment[] {
  if (path === "/") return [];
  return path
    .slice(1)
    .split("/")
    .map((part) => {
      const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
      return parameter === undefined ? { literal: part } : { parameter };
    });
}
