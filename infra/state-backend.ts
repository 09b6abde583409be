/**
 * Where Terraform keeps the stack's state: a local file by default, so a first `cdktf deploy`
 * needs nothing but credentials; an S3 bucket with S3-native locking when configured, which
 * is what CI and any team deploying from more than one machine must use.
 */
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";

/** The state backend the stack is synthesized with. */
export type StateBackendConfig =
  | {
      readonly kind: "local";
      /** Relative to the project root, so `rm -rf cdktf.out` never deletes the state. */
      readonly path: string;
    }
  | { readonly kind: "s3"; readonly bucket: string; readonly key: string; readonly region: string };

/** The environment variables that switch the state to S3 (only the bucket is required). */
export const stateVariables = {
  bucket: "ITEMS_API_STATE_BUCKET",
  key: "ITEMS_API_STATE_KEY",
  region: "ITEMS_API_STATE_REGION",
} as const;

/** Reads the state backend from the environment: S3 when a bucket is named, else local. */
export function readStateBackendConfig(
  env: NodeJS.ProcessEnv,
  stage: string,
  region: string,
): StateBackendConfig {
  const bucket = env[stateVariables.bucket];
  if (!bucket) return { kind: "local", path: `terraform.${stage}.tfstate` };
  return {
    kind: "s3",
    bucket,
    key: env[stateVariables.key] || `items-api/${stage}.tfstate`,
    region: env[stateVariables.region] || region,
  };
}

// Terraform runs in cdktf.out/stacks/<stack>/, three levels below the project root.
const projectRootFromStackDir = "../../..";

/** Configures the stack's backend. */
export function addStateBackend(stack: TerraformStack, state: StateBackendConfig): void {
  if (state.kind === "local") {
    new LocalBackend(stack, { path: `${projectRootFromStackDir}/${state.path}` });
    return;
  }
  new S3Backend(stack, {
    bucket: state.bucket,
    key: state.key,
    region: state.region,
    encrypt: true,
  });
  // S3-native locking (Terraform >= 1.10) replaces the DynamoDB lock table; cdktf 0.21 predates
  // the setting, hence the override.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}
