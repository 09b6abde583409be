import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
} from "@aws-sdk/client-dynamodb";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import test from "ava";
import { createDocumentClient } from "../../common/dynamodb.ts";
import {
  isConditionalCheckFailed,
  isTransientDynamoDbError,
  translateDynamoDbError,
} from "../../common/dynamodb-errors.ts";
import { NotFoundError, ServiceUnavailableError } from "../../common/errors.ts";

const metadata = (httpStatusCode: number) => ({ httpStatusCode, attempts: 2, totalRetryDelay: 0 });
const sdkOptions = (httpStatusCode: number) => ({
  message: "Rate of requests exceeds the allowed throughput on table items-prod",
  $metadata: metadata(httpStatusCode),
});
/** An error the way Node or the SDK's HTTP handler throws it. */
const nodeError = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

const transient = test.macro({
  exec(t, error: unknown) {
    t.true(isTransientDynamoDbError(error));
    const translated = translateDynamoDbError(error);
    t.true(translated instanceof ServiceUnavailableError);
    const unavailable = translated as ServiceUnavailableError;
    t.is(unavailable.status, 503);
    t.regex(unavailable.headers["retry-after"] ?? "", /^[1-9][0-9]*$/);
    t.notRegex(unavailable.detail, /items-prod|arn:|ECONN|Exception/);
  },
  title: (providedTitle = "") => `answers 503 with Retry-After to ${providedTitle}`,
});
test(
  "ProvisionedThroughputExceededException",
  transient,
  new ProvisionedThroughputExceededException(sdkOptions(400)),
);
test("ThrottlingException", transient, new ThrottlingException(sdkOptions(400)));
test("RequestLimitExceeded", transient, new RequestLimitExceeded(sdkOptions(400)));
test(
  "LimitExceededException by name",
  transient,
  nodeError("x", { name: "LimitExceededException" }),
);
test("InternalServerError", transient, new InternalServerError(sdkOptions(500)));
test(
  "a ServiceUnavailable error",
  transient,
  nodeError("x", { name: "ServiceUnavailable", $metadata: metadata(503) }),
);
test(
  "the SDK's connection timeout",
  transient,
  nodeError("did not establish a connection", { name: "TimeoutError" }),
);
test(
  "the SDK's request timeout",
  transient,
  nodeError("exceeded requestTimeout", { name: "TimeoutError", code: "ETIMEDOUT" }),
);
test(
  "a socket hang-up",
  transient,
  nodeError("socket hang up", { name: "TimeoutError", code: "ECONNRESET" }),
);
test("RequestTimeout", transient, nodeError("x", { name: "RequestTimeout" }));
test("RequestTimeoutException", transient, nodeError("x", { name: "RequestTimeoutException" }));
for (const code of [
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]) {
  test(`a network error ${code}`, transient, nodeError(`connect ${code} 10.0.0.1:443`, { code }));
}
for (const status of [500, 502, 503, 504, 599]) {
  test(
    `any error with HTTP status ${status}`,
    transient,
    nodeError("x", { name: "UnknownError", $metadata: metadata(status) }),
  );
}
test(
  "a proxy's HTML 502 the SDK could not parse",
  transient,
  nodeError("Unexpected token '<'", { name: "SyntaxError", $metadata: metadata(502) }),
);

const unchanged = test.macro({
  exec(t, error: unknown) {
    t.false(isTransientDynamoDbError(error));
    t.is(translateDynamoDbError(error), error);
  },
  title: (providedTitle = "") => `passes ${providedTitle} through unchanged`,
});
test(
  "ConditionalCheckFailedException",
  unchanged,
  new ConditionalCheckFailedException(sdkOptions(400)),
);
test(
  "ValidationException",
  unchanged,
  nodeError("One or more parameter values were invalid", {
    name: "ValidationException",
    $metadata: metadata(400),
  }),
);
test("ResourceNotFoundException", unchanged, new ResourceNotFoundException(sdkOptions(400)));
test(
  "AccessDeniedException",
  unchanged,
  nodeError("not authorized on arn:aws:dynamodb:...", {
    name: "AccessDeniedException",
    $metadata: metadata(400),
  }),
);
test("an error with HTTP status 499", unchanged, nodeError("x", { $metadata: metadata(499) }));
test("an error with metadata but no status", unchanged, nodeError("x", { $metadata: {} }));
test("an error with null metadata", unchanged, nodeError("x", { $metadata: null }));
test("a plain Error", unchanged, new Error("boom"));
test("a TypeError", unchanged, new TypeError("cannot read properties of undefined"));
test("an unrelated error code", unchanged, nodeError("x", { code: "ERR_INVALID_ARG_TYPE" }));
test("an HttpError", unchanged, new NotFoundError());
test("a ServiceUnavailableError, as the same object", unchanged, new ServiceUnavailableError());
test("undefined", unchanged, undefined);
test("null", unchanged, null);
test("a string", unchanged, "ThrottlingException");
test("a number", unchanged, 503);

test("recognizes a failed condition, and nothing else, as one", (t) => {
  t.true(isConditionalCheckFailed(new ConditionalCheckFailedException(sdkOptions(400))));
  t.true(isConditionalCheckFailed({ name: "ConditionalCheckFailedException" }));
  for (const other of [
    new ResourceNotFoundException(sdkOptions(400)),
    new Error("ConditionalCheckFailedException"),
    "ConditionalCheckFailedException",
    undefined,
    null,
    0,
  ]) {
    t.false(isConditionalCheckFailed(other));
  }
});

test.serial(
  "classifies what the real client throws when nothing listens as transient",
  async (t) => {
    const local = {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      // Port 1 (tcpmux) is closed on any machine that runs tests: the connection is refused at once.
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:1",
    };
    const saved = Object.keys(local).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, local);
    const client = createDocumentClient();
    try {
      const error = await t.throwsAsync(
        client.send(new GetCommand({ TableName: "t", Key: { id: "x" } })),
      );
      t.true(isTransientDynamoDbError(error), String(error));
      t.true(translateDynamoDbError(error) instanceof ServiceUnavailableError);
    } finally {
      client.destroy();
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  },
);
