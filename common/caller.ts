/**
 * Who sent a request, as the gateway's JWT authorizer vouches for it. Without an authorizer (no
 * issuer configured) there is no caller: every client is the same anonymous one.
 */
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayProxyEventV2,
} from "aws-lambda";

/** A caller: the token's issuer and subject. */
export interface Caller {
  readonly issuer: string;
  readonly subject: string;
}

/**
 * The caller of a request that passed a JWT authorizer (`requestContext.authorizer.jwt.claims`,
 * AWS's shape); undefined when there was none. The subject is `sub`, else `client_id` (a token
 * of the client-credentials flow may carry no `sub`); claims arrive as strings.
 */
export function callerOf(event: APIGatewayProxyEventV2): Caller | undefined {
  const { authorizer } = event.requestContext as {
    authorizer?: Partial<APIGatewayEventRequestContextJWTAuthorizer>;
  };
  const claims = authorizer?.jwt?.claims;
  if (claims === undefined || claims === null) return undefined;
  const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));
  return { issuer: text(claims.iss), subject: text(claims.sub ?? claims.client_id) };
}
