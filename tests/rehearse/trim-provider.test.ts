import test from "ava";
import {
  keptServices,
  trimClients,
  trimServicePackages,
} from "../../scripts/rehearse/trim-provider.ts";

// Shaped like the provider's generated files (internal/generate/servicepackages, .../awsclient).
const servicePackages = `package sdkv2

import (
\t"context"

\t"github.com/hashicorp/terraform-provider-aws/internal/conns"
\t"github.com/hashicorp/terraform-provider-aws/internal/service/apigateway"
\t"github.com/hashicorp/terraform-provider-aws/internal/service/lambda"
\t"github.com/hashicorp/terraform-provider-aws/internal/service/logs"
)

func servicePackages(ctx context.Context) []conns.ServicePackage {
\tv := []conns.ServicePackage{
\t\tapigateway.ServicePackage(ctx),
\t\tlambda.ServicePackage(ctx),
\t\tlogs.ServicePackage(ctx),
\t}
}
`;

const clients = `package conns

import (
\t"context"

\t"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
\t"github.com/aws/aws-sdk-go-v2/service/kms"
\t"github.com/aws/aws-sdk-go-v2/service/xray"
\t"github.com/hashicorp/terraform-provider-aws/names"
)

func (c *AWSClient) LogsClient(ctx context.Context) *cloudwatchlogs.Client {
\treturn errs.Must(client[*cloudwatchlogs.Client](ctx, c, names.Logs, make(map[string]any)))
}

func (c *AWSClient) KMSClient(ctx context.Context) *kms.Client {
\treturn errs.Must(client[*kms.Client](ctx, c, names.KMS, make(map[string]any)))
}

func (c *AWSClient) XRayClient(ctx context.Context) *xray.Client {
\treturn errs.Must(client[*xray.Client](ctx, c, names.XRay, make(map[string]any)))
}
`;

test("the service list keeps the stack's services and drops the rest, imports included", (t) => {
  const trimmed = trimServicePackages(servicePackages);
  t.true(
    trimmed.includes("\t\tlambda.ServicePackage(ctx),") &&
      trimmed.includes("\t\tlogs.ServicePackage(ctx),"),
  );
  t.false(trimmed.includes("apigateway"));
  t.true(trimmed.includes('"github.com/hashicorp/terraform-provider-aws/internal/conns"'));
});

test("the client list keeps the clients of kept services, under their SDK package names", (t) => {
  const trimmed = trimClients(clients);
  t.true(trimmed.includes("func (c *AWSClient) LogsClient("));
  t.true(trimmed.includes('"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"'));
  // No kms resources, but the dynamodb package uses the client.
  t.true(trimmed.includes("func (c *AWSClient) KMSClient(") && trimmed.includes('service/kms"'));
  t.false(
    trimServicePackages(servicePackages.replace("apigateway", "kms")).includes(
      "kms.ServicePackage",
    ),
  );
  t.false(trimmed.includes("xray"));
  t.true(trimmed.includes('"github.com/hashicorp/terraform-provider-aws/names"'));
});

test("the services lambda, iam, s3 and dynamodb use are kept", (t) => {
  for (const service of ["ec2", "organizations", "s3control", "account", "kms"])
    t.true(keptServices.includes(service));
});
