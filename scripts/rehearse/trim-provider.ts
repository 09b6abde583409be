/**
 * Trims a terraform-provider-aws source tree to the services this stack uses, so it builds in
 * minutes on a small machine: the provider's list of service packages, and the AWS SDK clients
 * its connection type can make. Run at build time on a copy of the downloaded module; no
 * provider source is kept in this repository.
 *
 *   tsx scripts/rehearse/trim-provider.ts <provider source dir>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Provider service packages kept: those the stack's resources live in, `meta` and `sts` (data
 * sources the provider itself uses), and account, ec2, organizations, s3 and s3control, which
 * the lambda, iam and s3 packages import, and kms, whose client dynamodb uses when it reads a
 * table's encryption (a client comes from its service package, so both stay).
 */
export const keptServices = [
  "account",
  "apigatewayv2",
  "cloudwatch",
  "dynamodb",
  "ec2",
  "iam",
  "kms",
  "lambda",
  "logs",
  "meta",
  "organizations",
  "s3",
  "s3control",
  "sns",
  "sts",
];

/** The AWS SDK client package of a provider service package, where the names differ. */
const sdkPackageOf: Readonly<Record<string, string>> = { logs: "cloudwatchlogs" };

const servicePackagesFile = "internal/provider/sdkv2/service_packages_gen.go";
const clientsFile = "internal/conns/awsclient_gen.go";

/** Drops the import lines of `prefix` packages whose name is not in `keep`. */
function trimImports(source: string, prefix: string, keep: ReadonlySet<string>): string {
  return source
    .split("\n")
    .filter((line) => {
      const path = line.match(/^\t"([^"]+)"$/)?.[1];
      if (path === undefined || !path.startsWith(prefix)) return true;
      return keep.has(path.slice(prefix.length));
    })
    .join("\n");
}

/** Keeps only the kept services in the provider's list of service packages. */
export function trimServicePackages(source: string): string {
  const keep = new Set(keptServices);
  const imports = trimImports(
    source,
    "github.com/hashicorp/terraform-provider-aws/internal/service/",
    keep,
  );
  return imports
    .split("\n")
    .filter((line) => {
      const name = line.match(/^\t\t(\w+)\.ServicePackage\(ctx\),$/)?.[1];
      return name === undefined || keep.has(name);
    })
    .join("\n");
}

/** Keeps only the kept services' client constructors, and their SDK imports. */
export function trimClients(source: string): string {
  const keep = new Set(keptServices.map((name) => sdkPackageOf[name] ?? name));
  const functions = source.replace(
    /\nfunc \(c \*AWSClient\) \w+Client\(ctx context\.Context\) \*(\w+)\.Client \{\n[^}]*\n\}\n/g,
    (whole, sdkPackage: string) => (keep.has(sdkPackage) ? whole : ""),
  );
  return trimImports(functions, "github.com/aws/aws-sdk-go-v2/service/", keep);
}

function rewrite(dir: string, file: string, trim: (source: string) => string): void {
  const path = join(dir, file);
  const before = readFileSync(path, "utf8");
  const after = trim(before);
  if (after === before) throw new Error(`${file}: nothing trimmed; has its layout changed?`);
  writeFileSync(path, after);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: trim-provider.ts <provider source dir>");
  rewrite(dir, servicePackagesFile, trimServicePackages);
  rewrite(dir, clientsFile, trimClients);
}
