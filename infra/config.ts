/**
 * The deploy-time settings of the stack, read in one place. Each setting comes from its
 * environment variable, else from the cdktf context (`context` in cdktf.json), else from the
 * default below; a bad value fails the synth with a message that names the variable.
 */
import { readStateBackendConfig, type StateBackendConfig } from "./state-backend.ts";

/** Everything the stack varies on. Tests build these directly; `main.ts` reads one. */
export interface StackConfig {
  /** Prefixes every resource name, so several stages share an account. */
  readonly stage: string;
  readonly region: string;
  /** True for production stages: the table refuses deletion. See docs/DEPLOY.md. */
  readonly deletionProtection: boolean;
  readonly logRetentionDays: number;
  readonly throttle: { readonly burstLimit: number; readonly rateLimit: number };
  readonly lambda: { readonly memoryMb: number; readonly timeoutSeconds: number };
  /** Empty: no CORS configuration at all (browsers on other origins are refused). */
  readonly corsAllowOrigins: readonly string[];
  readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  readonly alarmEmail?: string;
  readonly state: StateBackendConfig;
}

/** The environment variable of each setting; its cdktf context key is the property name. */
export const settingVariables = {
  stage: "ITEMS_API_STAGE",
  region: "ITEMS_API_REGION",
  logRetentionDays: "ITEMS_API_LOG_RETENTION_DAYS",
  throttleBurstLimit: "ITEMS_API_THROTTLE_BURST_LIMIT",
  throttleRateLimit: "ITEMS_API_THROTTLE_RATE_LIMIT",
  memoryMb: "ITEMS_API_MEMORY_MB",
  timeoutSeconds: "ITEMS_API_TIMEOUT_SECONDS",
  corsAllowOrigins: "ITEMS_API_CORS_ALLOW_ORIGINS",
  jwtIssuer: "ITEMS_API_JWT_ISSUER",
  jwtAudience: "ITEMS_API_JWT_AUDIENCE",
  alarmEmail: "ITEMS_API_ALARM_EMAIL",
} as const;

type Setting = keyof typeof settingVariables;

/** The defaults: a `dev` stage that any account can deploy on the first try. */
export const defaultStackConfig: StackConfig = {
  stage: "dev",
  region: "us-east-1",
  deletionProtection: false,
  logRetentionDays: 30,
  // API Gateway reads an unset throttle as 0, which blocks every request: always set both.
  throttle: { burstLimit: 100, rateLimit: 50 },
  // API Gateway gives up on an integration after 30 s; the function must answer before that.
  lambda: { memoryMb: 512, timeoutSeconds: 10 },
  corsAllowOrigins: [],
  state: { kind: "local", path: "terraform.dev.tfstate" },
};

/** Stage names that get production safeguards. */
export function isProductionStage(stage: string): boolean {
  return stage === "prod" || stage === "production";
}

// The values CloudWatch Logs accepts for retention_in_days.
const retentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** Reads the config from environment variables and cdktf context; throws on a bad value. */
export function readStackConfig(
  env: NodeJS.ProcessEnv,
  contextOf: (key: string) => unknown = () => undefined,
): StackConfig {
  const read = (setting: Setting): string | undefined => {
    const value = env[settingVariables[setting]] ?? contextOf(setting);
    if (value === undefined || value === null || value === "") return undefined;
    return Array.isArray(value) ? value.join(",") : String(value);
  };
  const fail = (setting: Setting, rule: string): never => {
    throw new Error(`${settingVariables[setting]} (context "${setting}") ${rule}`);
  };
  const integer = (setting: Setting, fallback: number, min: number, max: number): number => {
    const text = read(setting);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(setting, `must be an integer from ${min} to ${max}, got "${text}"`);
    }
    return value;
  };
  const list = (setting: Setting): string[] =>
    (read(setting) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");

  const d = defaultStackConfig;
  const stage = read("stage") ?? d.stage;
  // Resource names are `<stage>-items-api-<function>`; IAM role names stop at 64 characters.
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    fail("stage", `must be 1 to 20 characters of a-z, 0-9 and "-", starting with a letter`);
  }
  const logRetentionDays = integer("logRetentionDays", d.logRetentionDays, 1, 3653);
  if (!retentionDays.includes(logRetentionDays)) {
    fail("logRetentionDays", `must be one of ${retentionDays.join(", ")}`);
  }
  const [issuer, audience] = [read("jwtIssuer"), list("jwtAudience")];
  if ((issuer === undefined) !== (audience.length === 0)) {
    fail(issuer ? "jwtAudience" : "jwtIssuer", "must be set together with the other JWT setting");
  }
  if (issuer !== undefined && !issuer.startsWith("https://")) fail("jwtIssuer", "must be https");
  const alarmEmail = read("alarmEmail");
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+$/.test(alarmEmail)) {
    fail("alarmEmail", `must be an email address, got "${alarmEmail}"`);
  }
  const region = read("region") ?? env.AWS_REGION ?? d.region;

  return {
    stage,
    region,
    deletionProtection: isProductionStage(stage),
    logRetentionDays,
    throttle: {
      burstLimit: integer("throttleBurstLimit", d.throttle.burstLimit, 1, 5000),
      rateLimit: integer("throttleRateLimit", d.throttle.rateLimit, 1, 10000),
    },
    lambda: {
      memoryMb: integer("memoryMb", d.lambda.memoryMb, 128, 10240),
      timeoutSeconds: integer("timeoutSeconds", d.lambda.timeoutSeconds, 1, 29),
    },
    corsAllowOrigins: list("corsAllowOrigins"),
    ...(issuer !== undefined && { jwt: { issuer, audience } }),
    ...(alarmEmail !== undefined && { alarmEmail }),
    state: readStateBackendConfig(env, stage, region),
  };
}
