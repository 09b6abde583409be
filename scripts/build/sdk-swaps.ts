/**
 * The AWS SDK swaps: code of the SDK that provably never runs in our functions on Lambda, replaced
 * at bundle time (scripts/build/swaps.ts verifies each), so the bundles neither ship nor parse
 * it; and a plugin that lets esbuild drop the unused modules of packages that do not declare
 * themselves side-effect free. Each swap names its proof; docs/PERFORMANCE.md gives what each
 * one saves. common/dynamodb.ts sets explicitly every option that makes a swapped path dead, so
 * the source (tests, tsx) and the bundles take the same paths.
 */
import type { Plugin } from "esbuild";
import { PatchMismatch, replaceOnce, type Swap } from "./swaps.ts";

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
function schemasWithOurErrors(source: string): string {
  const registration = /^\w+_registry\.registerError\((\w+)\$, \w+\);$/gm;
  const kept = new Set<string>();
  const filtered = source.replace(registration, (line, name: string) => {
    if (!errorsOurOperationsAnswer.has(name)) return "";
    kept.add(name);
    return line;
  });
  const missing = [...errorsOurOperationsAnswer].filter((name) => !kept.has(name));
  if (missing.length > 0) {
    throw new PatchMismatch(`no registerError line for ${missing.join(", ")}`);
  }
  return filtered;
}

/**
 * The SDK's body-length helper, reading `fs.ReadStream` when a body needs it rather than at load
 * (see builtins-via-require.ts): the same code otherwise.
 */
function bodyLengthReadingFsLate(source: string): string {
  return replaceOnce(
    source,
    'import { ReadStream, fstatSync, lstatSync } from "node:fs";',
    'import nodeFs from "node:fs";',
  ).replace(/\b(ReadStream|fstatSync|lstatSync)\b/g, "nodeFs.$1");
}

/** The shared config files' loader left out of the chain: environment, then default. */
function configFromEnvironmentOnly(source: string): string {
  const withoutImport = replaceOnce(
    source,
    'import { fromSharedConfigFiles } from "./fromSharedConfigFiles";\n',
    "",
  );
  return replaceOnce(
    withoutImport,
    " fromSharedConfigFiles(configFileSelector, configuration),",
    "",
  );
}

/** The client's package.json, reduced to the version its user agent reads. */
function versionOnly(source: string): string {
  const { version } = JSON.parse(source) as { version?: unknown };
  if (typeof version !== "string") throw new PatchMismatch("no `version`");
  return JSON.stringify({ version });
}

export const sdkSwaps: readonly Swap[] = [
  {
    name: "event-streams",
    kind: "never-imported",
    specifier: "@smithy/core/event-streams",
    package: "@smithy/core",
    error: "Event streams are not bundled.",
    proof: "DynamoDB has no event-stream operation: the protocol imports this only for one.",
  },
  {
    name: "credential-provider-node",
    kind: "alias",
    alias: "@aws-sdk/credential-provider-node",
    package: "@aws-sdk/client-dynamodb",
    stub: "credential-provider-node.js",
    proof:
      "createDocumentClient passes `credentials` (Lambda's environment variables), so the client " +
      "never calls the default chain (SSO, INI, process, web identity, ECS, IMDS, login).",
  },
  {
    name: "endpoint-discovery",
    kind: "alias",
    alias: "@aws-sdk/middleware-endpoint-discovery",
    package: "@aws-sdk/client-dynamodb",
    stub: "middleware-endpoint-discovery.js",
    proof:
      "createDocumentClient sets `endpointDiscoveryEnabled: false` and no operation we call " +
      "requires discovery, so the middleware only ever passes requests through.",
  },
  {
    name: "shared-config-files",
    kind: "patch",
    package: "@smithy/core",
    file: "dist-es/submodules/config/node-config-provider/configLoader.js",
    patch: configFromEnvironmentOnly,
    proof:
      "Lambda has no shared config files (~/.aws/config, ~/.aws/credentials): every setting " +
      "comes from an environment variable or its default, which the patch keeps, in that order.",
  },
  {
    name: "sha256-js",
    kind: "stub",
    package: "@smithy/core",
    file: "dist-es/submodules/checksum/sha256/Sha256Js.js",
    stub: "sha256-js.js",
    proof: "Node's crypto always has SHA-256: the pure-JavaScript one is for other runtimes.",
  },
  {
    name: "adaptive-retry",
    kind: "stub",
    package: "@smithy/core",
    file: "dist-es/submodules/retry/util-retry/AdaptiveRetryStrategy.js",
    stub: "adaptive-retry-strategy.js",
    proof:
      'createDocumentClient sets `retryMode: "standard"`: the adaptive strategy is never built.',
  },
  {
    name: "modeled-errors",
    kind: "patch",
    package: "@aws-sdk/client-dynamodb",
    file: "dist-es/schemas/schemas_0.js",
    patch: schemasWithOurErrors,
    proof:
      "our five operations can answer only the errors kept registered; any other error code " +
      "still throws, as the client's base exception with that code as its name (the same " +
      "name the modeled class would have), which is all our code and the retry logic read.",
  },
  {
    name: "timestamps",
    kind: "stub",
    package: "@smithy/core",
    file: "dist-es/submodules/serde/date-utils.js",
    stub: "date-utils.js",
    proof:
      "the JSON codec calls these only for timestamp members, and no input, output or error of " +
      "GetItem, PutItem, UpdateItem, DeleteItem or Scan has one (DynamoDB's timestamps are in " +
      "table, backup, export and stream descriptions).",
  },
  {
    name: "event-stream-signing",
    kind: "stub",
    package: "@smithy/signature-v4",
    file: "dist-es/HeaderFormatter.js",
    stub: "header-formatter.js",
    proof:
      "event-stream message headers are formatted for signMessage only: DynamoDB has no streams.",
  },
  {
    name: "uuid-from-node-crypto",
    kind: "stub",
    package: "@smithy/core",
    file: "dist-es/submodules/serde/uuid/v4.js",
    stub: "uuid-v4.js",
    proof:
      "on Node the global `crypto.randomUUID` is node:crypto's `randomUUID`, the same version-4 " +
      "generator; only the way to it differs: asking the global loads Web Crypto at every cold " +
      "start, for the invocation id the retry middleware stamps on each request.",
  },
  {
    name: "browser-user-agent",
    kind: "stub",
    package: "@aws-sdk/core",
    file: "dist-es/submodules/client/util-user-agent-browser/createUserAgentStringParsingProvider.js",
    stub: "user-agent-browser.js",
    proof:
      "it builds a browser's user agent (navigator.userAgent, with the bowser parser) for the " +
      "SDK's browser build, which the Node client never calls; its dynamic import of bowser " +
      "would still put a chunk beside every function.",
  },
  {
    name: "body-length-reads-fs-late",
    kind: "patch",
    package: "@smithy/core",
    file: "dist-es/submodules/serde/util-body-length/calculateBodyLength.js",
    patch: bodyLengthReadingFsLate,
    proof:
      "the helper reads fs.ReadStream from node:fs only when a body is neither a string nor a " +
      "buffer (never, for DynamoDB's JSON), not at load, where Node's getter loads its " +
      "file-stream modules at every cold start.",
  },
  {
    name: "client-package-json",
    kind: "patch",
    package: "@aws-sdk/client-dynamodb",
    file: "package.json",
    patch: versionOnly,
    proof: "the client reads only `version` (for its user agent) from its package.json.",
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
 * Lets esbuild drop the modules of sideEffectFreePackages that nothing uses (their package.json
 * does not say they may be dropped). The bundle budgets (tests/build/budgets.test.ts) notice when
 * this stops applying.
 */
export const sideEffectFree: Plugin = {
  name: "side-effect-free",
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === "side-effect-free" || args.namespace !== "file") return undefined;
      const inPackage = sideEffectFreePackages.test(`${args.resolveDir}/`);
      if (!inPackage && !sideEffectFreeImports.test(args.path)) return undefined;
      const { path: resolved, errors } = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: "side-effect-free",
      });
      if (errors.length > 0 || !sideEffectFreePackages.test(resolved)) return undefined;
      return { path: resolved, sideEffects: false };
    });
  },
};
