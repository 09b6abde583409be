/**
 * An esbuild plugin that swaps parts of the AWS SDK (and of Powertools, in
 * lambda-only-powertools.ts) that provably never run in our functions on Lambda for small
 * Lambda-only versions that throw if reached, so the bundles neither ship nor parse them, and
 * lets esbuild drop the unused modules of packages that do not declare themselves side-effect
 * free. Each swap names its proof; docs/PERFORMANCE.md measures what each one bought. The source
 * (tests, tsx) still uses the SDK untouched, and common/dynamodb.ts sets explicitly every option
 * that makes a swapped path dead, so source and bundle behave the same.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Plugin } from "esbuild";
import { assertPlainIdempotencyConfig, powertoolsSwaps } from "./lambda-only-powertools.ts";

/** One SDK (or Powertools) file replaced by a Lambda-only version. */
export interface Swap {
  /** The SDK file replaced (its resolved path ends with this). */
  readonly file: RegExp;
  /** Why the original never runs in our functions on Lambda. */
  readonly proof: string;
  /** The Lambda-only version, given the original's path. */
  readonly contents: (original: string) => string;
}

// The errors GetItem, PutItem, UpdateItem, DeleteItem and Scan can answer (DynamoDB API
// reference, "Errors" of each action), plus the client's base exception.
const errorsOurOperationsAnswer = new Set([
  "DynamoDBServiceException",
  "ConditionalCheckFailedException",
  "InternalServerError",
  "InvalidEndpointException",
  "ItemCollectionSizeLimitExceededException",
  "ProvisionedThroughputExceededException",
  "ReplicatedWriteConflictException",
  "RequestLimitExceeded",
  "ResourceNotFoundException",
  "ThrottlingException",
  "TransactionConflictException",
]);

/** The client's schemas, registering only the errors our operations can answer. */
function schemasWithOurErrors(original: string): string {
  const source = readFileSync(original, "utf8");
  const registration = /^\w+_registry\.registerError\((\w+)\$, \w+\);$/gm;
  let kept = 0;
  const filtered = source.replace(registration, (line, name: string) => {
    if (!errorsOurOperationsAnswer.has(name)) return "";
    kept++;
    return line;
  });
  if (kept !== errorsOurOperationsAnswer.size) {
    throw new Error(`lambda-only-sdk: ${original} no longer registers errors as expected`);
  }
  return filtered;
}

/**
 * The SDK's body-length helper, reading `fs.ReadStream` when a body needs it rather than at load
 * (see scripts/builtins-via-require.ts): the same code otherwise.
 */
function bodyLengthReadingFsLate(original: string): string {
  const source = readFileSync(original, "utf8");
  const namedImport = 'import { ReadStream, fstatSync, lstatSync } from "node:fs";';
  if (!source.includes(namedImport)) {
    throw new Error(`lambda-only-sdk: ${original} no longer imports node:fs as expected`);
  }
  return source
    .replace(namedImport, 'import nodeFs from "node:fs";')
    .replace(/\b(ReadStream|fstatSync|lstatSync)\b/g, "nodeFs.$1");
}

const sdkVersion = (
  createRequire(import.meta.url)("@aws-sdk/client-dynamodb/package.json") as { version: string }
).version;

const swaps: readonly Swap[] = [
  {
    file: /@aws-sdk[\\/]credential-provider-node[\\/]dist-es[\\/]index\.js$/,
    proof:
      "createDocumentClient passes `credentials` (Lambda's environment variables), so the SDK " +
      "never calls the default chain (SSO, INI, process, web identity, ECS, IMDS, login).",
    contents: () =>
      "const notBundled = () => { throw new Error('The default credential chain is not bundled: pass credentials.'); };\n" +
      "export const defaultProvider = () => notBundled;\n" +
      "export const credentialsWillNeedRefresh = () => false;\n" +
      "export const credentialsTreatedAsExpired = () => false;\n",
  },
  {
    file: /@aws-sdk[\\/]middleware-endpoint-discovery[\\/]dist-es[\\/]index\.js$/,
    proof:
      "createDocumentClient sets `endpointDiscoveryEnabled: false` and no operation we call " +
      "requires discovery, so the middleware only ever passed requests through.",
    contents: () =>
      "export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = { environmentVariableSelector: () => false, configFileSelector: () => false, default: false };\n" +
      "export const resolveEndpointDiscoveryConfig = (input) => { if (input.endpointDiscoveryEnabled) throw new Error('Endpoint discovery is not bundled.'); return input; };\n" +
      "const passThrough = { applyToStack() {} };\n" +
      "export const getEndpointDiscoveryPlugin = () => passThrough;\n" +
      "export const getEndpointDiscoveryRequiredPlugin = () => { throw new Error('Endpoint discovery is not bundled.'); };\n" +
      "export const getEndpointDiscoveryOptionalPlugin = () => passThrough;\n" +
      "export const endpointDiscoveryMiddlewareOptions = { name: 'endpointDiscoveryMiddleware', step: 'build', tags: ['ENDPOINT_DISCOVERY'], override: true };\n",
  },
  {
    file: /[\\/]submodules[\\/]config[\\/]node-config-provider[\\/]configLoader\.js$/,
    proof:
      "Lambda has no shared config files (~/.aws/config, ~/.aws/credentials): every setting " +
      "comes from an environment variable or its default, which this keeps, in that order.",
    contents: () =>
      'import { chain } from "../property-provider/chain";\n' +
      'import { memoize } from "../property-provider/memoize";\n' +
      'import { fromEnv } from "./fromEnv";\n' +
      'import { fromStatic } from "./fromStatic";\n' +
      "export const loadConfig = ({ environmentVariableSelector, default: defaultValue }, configuration = {}) =>\n" +
      "  memoize(chain(fromEnv(environmentVariableSelector, { signingName: configuration.signingName, logger: configuration.logger }), fromStatic(defaultValue)));\n",
  },
  {
    file: /[\\/]submodules[\\/]config[\\/]config-resolver[\\/]regionConfig[\\/]getInstanceMetadataRegion\.js$/,
    proof: "Lambda always sets AWS_REGION, so the region never falls back to EC2's IMDS.",
    contents: () => "export const getInstanceMetadataRegion = async () => undefined;\n",
  },
  {
    file: /[\\/]submodules[\\/]checksum[\\/]sha256[\\/]Sha256Js\.js$/,
    proof: "Node's crypto always has SHA-256: the pure-JavaScript fallback is for other runtimes.",
    contents: () =>
      "export class Sha256Js { constructor() { throw new Error('The JavaScript SHA-256 is not bundled.'); } }\n",
  },
  {
    file: /[\\/]submodules[\\/]retry[\\/]util-retry[\\/]AdaptiveRetryStrategy\.js$/,
    proof:
      'createDocumentClient sets `retryMode: "standard"`: the adaptive strategy is never built.',
    contents: () =>
      "export class AdaptiveRetryStrategy { constructor() { throw new Error('Adaptive retry is not bundled.'); } }\n",
  },
  {
    file: /@aws-sdk[\\/]client-dynamodb[\\/]dist-es[\\/]schemas[\\/]schemas_0\.js$/,
    proof:
      "Our five operations can answer only the errors kept registered; any other error code " +
      "still throws, as the client's base exception with that code as its name (the same " +
      "name the modeled class would have), which is all our code and the retry logic read.",
    contents: schemasWithOurErrors,
  },
  {
    file: /[\\/]submodules[\\/]serde[\\/]date-utils\.js$/,
    proof:
      "The JSON codec calls these only for timestamp members, and no input, output or error of " +
      "GetItem, PutItem, UpdateItem, DeleteItem or Scan has one (DynamoDB's timestamps are in " +
      "table, backup, export and stream descriptions).",
    contents: () =>
      "const notBundled = () => { throw new Error('Timestamp parsing is not bundled: none of our operations has a timestamp.'); };\n" +
      "export const dateToUtcString = notBundled;\n" +
      "export const parseRfc3339DateTime = notBundled;\n" +
      "export const parseRfc3339DateTimeWithOffset = notBundled;\n" +
      "export const parseRfc7231DateTime = notBundled;\n" +
      "export const parseEpochTimestamp = notBundled;\n",
  },
  {
    file: /@smithy[\\/]signature-v4[\\/]dist-es[\\/]HeaderFormatter\.js$/,
    proof: "Formats event-stream message headers, for signMessage only: DynamoDB has no streams.",
    contents: () =>
      "export class HeaderFormatter { format() { throw new Error('Event-stream signing is not bundled.'); } }\n",
  },
  {
    file: /[\\/]submodules[\\/]endpoints[\\/]middleware-endpoint[\\/]service-customizations[\\/]index\.js$/,
    proof: "Endpoint parameters for S3 buckets, used only when the client's service is S3.",
    contents: () =>
      "export const resolveParamsForS3 = async () => { throw new Error('S3 endpoint rules are not bundled.'); };\n",
  },
  {
    file: /[\\/]submodules[\\/]serde[\\/]uuid[\\/]v4\.js$/,
    proof:
      "On Node the global `crypto.randomUUID` is node:crypto's `randomUUID`, the same version-4 " +
      "generator; only the way to it differs: asking the global loads Web Crypto at every cold " +
      "start, for the invocation id the retry middleware stamps on each request.",
    contents: () =>
      'import { randomUUID } from "node:crypto";\n' +
      "export const bindV4 = () => () => randomUUID();\n",
  },
  {
    file: /[\\/]util-user-agent-browser[\\/]createUserAgentStringParsingProvider\.js$/,
    proof:
      "Builds a browser's user agent (from navigator.userAgent, with the bowser parser) for the " +
      "SDK's browser build; the Node client never calls it. Bundled code never reaches it either, " +
      "but its dynamic import of bowser would still put a 34 KiB chunk beside every function.",
    contents: () =>
      "export const createUserAgentStringParsingProvider = () => { throw new Error('The browser user agent is not bundled.'); };\n",
  },
  {
    file: /[\\/]submodules[\\/]serde[\\/]util-body-length[\\/]calculateBodyLength\.js$/,
    proof:
      "Not a removal: the same function, reading fs.ReadStream from node:fs when a body is " +
      "neither a string nor a buffer (never, for DynamoDB's JSON), not at load, where Node's " +
      "getter loads its file-stream modules at every cold start.",
    contents: bodyLengthReadingFsLate,
  },
  {
    file: /@aws-sdk[\\/]client-dynamodb[\\/]package\.json$/,
    proof: "The client reads only `version` (for its user agent) from its package.json.",
    contents: () => JSON.stringify({ version: sdkVersion }),
  },
];

// Packages whose modules only declare (classes, functions, constants) but which do not say so in
// their package.json, so esbuild keeps every module they re-export (all 20 document commands,
// the paginators) and every CommonJS module imported for nothing (ksuid, where only isItemId is
// used) in every bundle. Checked by reading them: no module there changes anything outside
// itself when loaded.
const sideEffectFreePackages =
  /[\\/]node_modules[\\/](@aws-sdk[\\/]lib-dynamodb|ksuid|base-convert-int-array)[\\/]/;
const sideEffectFreeImports = /^(@aws-sdk\/lib-dynamodb|ksuid|base-convert-int-array)(\/|$)/;

/**
 * Modules the SDK imports on demand (`import()`) that provably never load in our functions: each
 * becomes a module that throws, inlined as a data: URL, so the code splitting of the functions'
 * builds makes no chunk of it.
 */
const neverImported: readonly { specifier: string; proof: string; error: string }[] = [
  {
    specifier: "@smithy/core/event-streams",
    proof: "DynamoDB has no event-stream operation: the protocol imports this only for one.",
    error: "Event streams are not bundled.",
  },
];

/** Replaces each swapped SDK file, wherever it is imported from, by its Lambda-only version. */
export const lambdaOnlySdk: Plugin = {
  name: "lambda-only-sdk",
  setup(build) {
    for (const { specifier, error } of neverImported) {
      const filter = new RegExp(`^${specifier.replace(/[/.]/g, "\\$&")}$`);
      build.onResolve({ filter }, (args) =>
        args.kind === "dynamic-import"
          ? {
              path: `data:text/javascript,throw new Error(${JSON.stringify(error)})`,
              external: true,
            }
          : undefined,
      );
    }
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "lambda-only-sdk" || args.namespace !== "file") return undefined;
      const inPackage = sideEffectFreePackages.test(`${args.resolveDir}/`);
      if (!inPackage && !sideEffectFreeImports.test(args.path)) return undefined;
      const { path: resolved, errors } = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: "lambda-only-sdk",
      });
      if (errors.length > 0 || !sideEffectFreePackages.test(resolved)) return undefined;
      return { path: resolved, sideEffects: false };
    });
    assertPlainIdempotencyConfig(build.initialOptions.absWorkingDir ?? process.cwd());
    for (const swap of [...swaps, ...powertoolsSwaps]) {
      build.onLoad({ filter: swap.file }, (args) => ({
        contents: swap.contents(args.path),
        loader: args.path.endsWith(".json") ? "json" : "js",
        resolveDir: path.dirname(args.path),
      }));
    }
  },
};
