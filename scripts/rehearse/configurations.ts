/**
 * The configurations rehearsed, each as the `ITEMS_API_*` settings a user would export
 * (docs/DEPLOY.md), plus the environment that points every AWS client at the emulator.
 */

export interface Configuration {
  readonly name: string;
  readonly settings: Readonly<Record<string, string>>;
  /** An S3 bucket the rehearsal makes in the emulator before the deploy (the state backend). */
  readonly stateBucket?: string;
}

const stateBucket = "items-api-rehearsal-state";

export const configurations: readonly Configuration[] = [
  { name: "dev", settings: {} },
  {
    name: "all-options",
    settings: {
      ITEMS_API_STAGE: "options",
      ITEMS_API_CORS_ALLOW_ORIGINS: "https://app.example.com,https://admin.example.com",
      ITEMS_API_JWT_ISSUER: "https://auth.example.com/",
      ITEMS_API_JWT_AUDIENCE: "items-api,items-admin",
      ITEMS_API_ALARM_EMAIL: "ops@example.com",
      ITEMS_API_LOG_RETENTION_DAYS: "7",
      ITEMS_API_THROTTLE_BURST_LIMIT: "20",
      ITEMS_API_THROTTLE_RATE_LIMIT: "10",
      ITEMS_API_MEMORY_MB: "1024",
      ITEMS_API_TIMEOUT_SECONDS: "5",
    },
  },
  { name: "prod", settings: { ITEMS_API_STAGE: "prod" } },
  {
    name: "s3-state",
    settings: { ITEMS_API_STAGE: "team", ITEMS_API_STATE_BUCKET: stateBucket },
    stateBucket,
  },
];

/** Dummy credentials and the endpoint: what makes Terraform and the SDK talk to the emulator. */
export function emulatorVariables(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "rehearsal",
    AWS_SECRET_ACCESS_KEY: "rehearsal",
  };
}

/** Variables of the caller's that could reach a real account or override the settings. */
function isDropped(name: string): boolean {
  return (
    (name.startsWith("AWS_") || name.startsWith("ITEMS_API_") || name.startsWith("TF_")) &&
    name !== "TF_PLUGIN_CACHE_DIR"
  );
}

/**
 * The environment of one configuration's synth and Terraform runs: the caller's, without any
 * AWS, Terraform or stack setting of theirs, plus the emulator and the configuration.
 */
export function rehearsalEnv(
  base: NodeJS.ProcessEnv,
  endpoint: string,
  configuration: Configuration,
  extra: Readonly<Record<string, string>> = {},
): NodeJS.ProcessEnv {
  const kept = Object.entries(base).filter(([name]) => !isDropped(name));
  return {
    ...Object.fromEntries(kept),
    CHECKPOINT_DISABLE: "1",
    ...emulatorVariables(endpoint),
    ...configuration.settings,
    ...extra,
  };
}
