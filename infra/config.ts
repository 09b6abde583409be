/**
 * The deploy-time settings of the stack, read in one place. Each setting comes from its
 * environment variable, else from the cdktf context (`context` in cdktf.json), else from the
 * default below; a bad value fails the synth with a message that names the variable.
 */
import {
  defaultThrottle,
  type GatewaySettings,
  gatewaySettingVariables,
  readGatewaySettings,
  settingReader,
} from "../common/gateway-settings.ts";
import { readStateBackendConfig, type StateBackendConfig } from "./state-backend.ts";

/** Everything the stack varies on. Tests build these directly; `main.ts` reads one. */
export interface StackConfig {
  /** Prefixes every resource name, so several stages share an account. */
  readonly stage: string;
  readonly region: string;
  /** True for production stages: the table refuses deletion. See docs/DEPLOY.md. */
  readonly deletionProtection: boolean;
  readonly logRetentionDays: number;
  readonly lambda: { readonly memoryMb: number; readonly timeoutSeconds: number };
  /** JWT authorizer, CORS and throttle: the values `npm start` enforces too. */
  readonly gateway: GatewaySettings;
  readonly alarmEmail?: string;
  readonly state: StateBackendConfig;
}

/**
 * The environment variable of each setting; its cdktf context key is the property name. The
 * gateway's own (JWT, CORS, throttle) are in common/gateway-settings.ts.
 */
export const settingVariables = {
  stage: "ITEMS_API_STAGE",
  region: "ITEMS_API_REGION",
  logRetentionDays: "ITEMS_API_LOG_RETENTION_DAYS",
  memoryMb: "ITEMS_API_MEMORY_MB",
  timeoutSeconds: "ITEMS_API_TIMEOUT_SECONDS",
  alarmEmail: "ITEMS_API_ALARM_EMAIL",
  ...gatewaySettingVariables,
} as const;

/** The defaults: a `dev` stage that any account can deploy on the first try. */
export const defaultStackConfig: StackConfig = {
  stage: "dev",
  region: "us-east-1",
  deletionProtection: false,
  logRetentionDays: 30,
  // API Gateway gives up on an integration after 30 s; the function must answer before that.
  lambda: { memoryMb: 512, timeoutSeconds: 10 },
  gateway: { throttle: defaultThrottle },
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
  const { read, fail, integer } = settingReader(settingVariables, env, contextOf);

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
    lambda: {
      memoryMb: integer("memoryMb", d.lambda.memoryMb, 128, 10240),
      timeoutSeconds: integer("timeoutSeconds", d.lambda.timeoutSeconds, 1, 29),
    },
    // Deployed, the issuer must be https: API Gateway fetches its keys from the internet.
    gateway: readGatewaySettings(env, contextOf, "https"),
    ...(alarmEmail !== undefined && { alarmEmail }),
    state: readStateBackendConfig(env, stage, region),
  };
}
