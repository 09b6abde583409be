/**
 * The HTTP API in front of the functions: one `$default` stage that deploys itself, writes
 * JSON access logs and throttles every route, and per route an AWS_PROXY integration
 * (payload 2.0), the route itself and the permission for that route alone to invoke its
 * function. With a JWT issuer configured, every route requires a valid token (and the route's
 * scopes, if it has some). JWT, CORS and throttle come from `config.gateway`, the values the
 * local gateway enforces (common/gateway-settings.ts).
 */
import {
  Apigatewayv2Api,
  type Apigatewayv2ApiCorsConfiguration,
} from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer/index.js";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { Construct } from "constructs";
import type { CorsSettings } from "../common/gateway-settings.ts";
import { type Route, routeKeyOf } from "../common/routes.ts";
import type { StackConfig } from "./config.ts";
import { accessLogFormat } from "./http-api-settings.ts";

export interface HttpApiProps {
  readonly apiName: string;
  readonly routes: readonly { readonly route: Route; readonly handler: LambdaFunction }[];
  readonly config: Pick<StackConfig, "logRetentionDays" | "gateway" | "stage">;
}

/** The API, its stage and one integration, route and permission per route. */
export class HttpApi extends Construct {
  readonly api: Apigatewayv2Api;
  readonly stage: Apigatewayv2Stage;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const { config } = props;
    const { jwt, cors, throttle } = config.gateway;
    this.api = new Apigatewayv2Api(this, "api", {
      name: props.apiName,
      protocolType: "HTTP",
      ...(cors && { corsConfiguration: corsConfigurationOf(cors) }),
    });
    const accessLogs = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.apiName}`,
      retentionInDays: config.logRetentionDays,
    });
    this.stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: "$default",
      autoDeploy: true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat },
      defaultRouteSettings: {
        throttlingBurstLimit: throttle.burstLimit,
        throttlingRateLimit: throttle.rateLimit,
        detailedMetricsEnabled: true,
      },
    });
    const authorizer =
      jwt &&
      new Apigatewayv2Authorizer(this, "jwt", {
        apiId: this.api.id,
        name: `${props.apiName}-jwt`,
        authorizerType: "JWT",
        identitySources: ["$request.header.Authorization"],
        jwtConfiguration: { issuer: jwt.issuer, audience: [...jwt.audience] },
      });

    for (const { route, handler } of props.routes) {
      const integration = new Apigatewayv2Integration(this, `${route.name}-integration`, {
        apiId: this.api.id,
        integrationType: "AWS_PROXY",
        integrationUri: handler.invokeArn,
        payloadFormatVersion: "2.0",
      });
      const routeKey = routeKeyOf(route);
      const scopes = jwt?.routeScopes[routeKey];
      new Apigatewayv2Route(this, `${route.name}-route`, {
        apiId: this.api.id,
        routeKey,
        target: `integrations/${integration.id}`,
        ...(authorizer && { authorizationType: "JWT", authorizerId: authorizer.id }),
        ...(scopes && { authorizationScopes: [...scopes] }),
      });
      new LambdaPermission(this, `${route.name}-permission`, {
        functionName: handler.functionName,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        // Any stage, but only this method and path: no other route can invoke this function.
        sourceArn: `${this.api.executionArn}/*/${route.method}${route.path}`,
      });
    }
  }

  /** The URL clients call (the `$default` stage has no path prefix). */
  get url(): string {
    return this.stage.invokeUrl;
  }
}

/** The CORS block of the API, field for field from the shared settings. */
export function corsConfigurationOf(cors: CorsSettings): Apigatewayv2ApiCorsConfiguration {
  return {
    allowOrigins: [...cors.allowOrigins],
    allowMethods: [...cors.allowMethods],
    allowHeaders: [...cors.allowHeaders],
    exposeHeaders: [...cors.exposeHeaders],
    maxAge: cors.maxAgeSeconds,
    allowCredentials: cors.allowCredentials,
  };
}
