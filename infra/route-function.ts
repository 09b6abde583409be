/**
 * The Lambda function behind one route, with what it needs and nothing more: its own log
 * group (created by Terraform, so retention applies from the first log line) and its own role,
 * whose policy grants exactly the route's DynamoDB actions on exactly its tables' ARNs, and
 * log writes to its own log group.
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { Fn, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import type { DynamoDbAction } from "../common/routes.ts";
import type { StackConfig } from "./config.ts";

/** DynamoDB actions a function may call on one table. */
export interface TableGrant {
  readonly tableArn: string;
  readonly actions: readonly DynamoDbAction[];
}

export interface RouteFunctionProps {
  /** The full function name, e.g. `dev-items-api-get-item`. */
  readonly functionName: string;
  /** The function's zip, built by scripts/package.ts. */
  readonly zipPath: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly tableGrants: readonly TableGrant[];
  readonly config: Pick<StackConfig, "lambda" | "logRetentionDays">;
}

const lambdaAssumeRolePolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
});

/** One route's function, log group and role. */
export class RouteFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);
    const { functionName, config } = props;
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${functionName}`,
      retentionInDays: config.logRetentionDays,
    });
    this.role = new IamRole(this, "role", {
      name: functionName,
      assumeRolePolicy: lambdaAssumeRolePolicy,
    });
    const policy = new IamRolePolicy(this, "policy", {
      name: functionName,
      role: this.role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          ...props.tableGrants
            .filter((grant) => grant.actions.length > 0)
            .map((grant) => ({ Effect: "Allow", Action: grant.actions, Resource: grant.tableArn })),
          {
            // No logs:CreateLogGroup: Terraform made the group, the function only writes to it.
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `${this.logGroup.arn}:*`,
          },
        ],
      }),
    });
    // The asset copies the zip into cdktf.out under a folder named by its content hash.
    const code = new TerraformAsset(this, "code", { path: props.zipPath });
    this.function = new LambdaFunction(this, "function", {
      functionName,
      role: this.role.arn,
      runtime: "nodejs24.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      memorySize: config.lambda.memoryMb,
      timeout: config.lambda.timeoutSeconds,
      environment: { variables: { ...props.environment } },
      loggingConfig: { logFormat: "JSON", logGroup: this.logGroup.name },
      // Nothing references the policy: without this, a first invocation could beat it.
      dependsOn: [policy],
    });
  }
}
