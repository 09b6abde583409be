/** AWS SDK clients pointed at the emulator through the standard environment variables. */
import { ApiGatewayV2Client } from "@aws-sdk/client-apigatewayv2";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IAMClient } from "@aws-sdk/client-iam";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { emulatorVariables } from "./configurations.ts";

export interface Clients {
  readonly apis: ApiGatewayV2Client;
  readonly cloudwatch: CloudWatchClient;
  readonly dynamodb: DynamoDBClient;
  readonly iam: IAMClient;
  readonly lambda: LambdaClient;
  readonly logs: CloudWatchLogsClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  destroy(): void;
}

/**
 * The SDK reads AWS_ENDPOINT_URL and the keys from the environment: set them here, so the
 * read-back reaches the emulator the same way Terraform does.
 */
export function emulatorClients(endpoint: string, region: string): Clients {
  Object.assign(process.env, emulatorVariables(endpoint));
  const config = { region };
  const clients = {
    apis: new ApiGatewayV2Client(config),
    cloudwatch: new CloudWatchClient(config),
    dynamodb: new DynamoDBClient(config),
    iam: new IAMClient(config),
    lambda: new LambdaClient(config),
    logs: new CloudWatchLogsClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    sns: new SNSClient(config),
  };
  return {
    ...clients,
    destroy: () => {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}
