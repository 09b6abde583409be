import test from "ava";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  BadRequestError,
  ConflictError,
  ContentTooLargeError,
  type HttpError,
  NotFoundError,
  PreconditionFailedError,
  ServiceUnavailableError,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
} from "../../common/errors.ts";
import {
  emptyResponse,
  etagOf,
  type HttpResponse,
  itemResponse,
  jsonResponse,
  withHttp,
} from "../../common/http.ts";
import type { Item } from "../../common/items-table.ts";
import { createEvent } from "../helpers/events.ts";

type Handler = (event: APIGatewayProxyEventV2) => Promise<HttpResponse>;

const item: Item = {
  id: "2zZyQ3nmbqxsHDjGJN1Ffpm4sbE",
  name: "tea",
  description: "green",
  createdAt: "2026-01-02T03:04:05.678Z",
  updatedAt: "2026-01-02T03:04:05.678Z",
  version: 3,
};

/** What the handler answered and the lines it wrote to stdout meanwhile. */
interface Outcome {
  readonly response: HttpResponse;
  readonly body: Record<string, unknown> | undefined;
  readonly lines: readonly string[];
  readonly event: APIGatewayProxyEventV2;
}

/**
 * Runs `handle` wrapped in withHttp, capturing stdout. Only call it from serial tests: they run
 * one at a time, before the concurrent ones, so nothing else writes while stdout is replaced.
 */
async function invoke(
  handle: Handler,
  event = createEvent({ method: "GET", id: item.id }),
): Promise<Outcome> {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  let response: HttpResponse;
  try {
    response = await withHttp(handle)(event);
  } finally {
    process.stdout.write = write;
  }
  const lines = chunks.join("").split("\n");
  const last = lines.pop();
  if (last !== "") throw new Error(`the log does not end with a line break: ${last}`);
  const body = response.body === undefined ? undefined : JSON.parse(response.body);
  return { response, body, lines, event };
}

function logOf(outcome: Outcome): Record<string, unknown> {
  if (outcome.lines.length !== 1) throw new Error(`expected one log line, got ${outcome.lines}`);
  return JSON.parse(outcome.lines[0] as string) as Record<string, unknown>;
}

const requestIdOf = (event: APIGatewayProxyEventV2) => event.requestContext.requestId;
const throwing =
  (error: unknown): Handler =>
  async () => {
    throw error;
  };

// Successes.
test.serial("passes a success through, adding x-request-id", async (t) => {
  const outcome = await invoke(async () => itemResponse(200, item));
  t.is(outcome.response.statusCode, 200);
  t.deepEqual(outcome.body, { ...item });
  t.deepEqual(outcome.response.headers, {
    "content-type": "application/json",
    etag: '"3"',
    "x-request-id": requestIdOf(outcome.event),
  });
});

test.serial("stamps x-request-id on an answer without headers", async (t) => {
  const outcome = await invoke(async () => ({ statusCode: 204 }));
  t.deepEqual(outcome.response.headers, { "x-request-id": requestIdOf(outcome.event) });
});

test.serial(
  "x-request-id is always the event's request id, whatever the handler set",
  async (t) => {
    const outcome = await invoke(async () => emptyResponse(204, { "x-request-id": "forged" }));
    t.is(outcome.response.headers?.["x-request-id"], requestIdOf(outcome.event));
  },
);

test.serial("writes one log line for a success, with what happened", async (t) => {
  const event = createEvent({ method: "PUT", id: item.id });
  const outcome = await invoke(async () => itemResponse(200, item), event);
  const log = logOf(outcome);
  t.like(log, {
    level: "INFO",
    message: "request",
    requestId: requestIdOf(event),
    method: "PUT",
    path: `/${item.id}`,
    status: 200,
  });
  t.is(typeof log.durationMs, "number");
  t.true((log.durationMs as number) >= 0);
  t.false("error" in log);
  t.false(Number.isNaN(Date.parse(log.timestamp as string)));
});

test.serial("logs a success without a status code as 200", async (t) => {
  const outcome = await invoke(async () => ({ body: "{}" }));
  t.is(logOf(outcome).status, 200);
});

test.serial("measures the duration of the request", async (t) => {
  const outcome = await invoke(async () => {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return emptyResponse(204);
  });
  t.true((logOf(outcome).durationMs as number) >= 25);
});

test.serial("names the function in the log line when Lambda does", async (t) => {
  const saved = process.env.AWS_LAMBDA_FUNCTION_NAME;
  process.env.AWS_LAMBDA_FUNCTION_NAME = "items-api-get-item";
  try {
    const outcome = await invoke(async () => emptyResponse(204));
    t.is(logOf(outcome).function, "items-api-get-item");
  } finally {
    if (saved === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = saved;
  }
});

// Errors the client may see.
const problem = test.macro<[HttpError]>({
  exec: async (t, error: HttpError) => {
    const outcome = await invoke(throwing(error));
    const requestId = requestIdOf(outcome.event);
    t.is(outcome.response.statusCode, error.status);
    t.is(outcome.response.headers?.["content-type"], "application/problem+json");
    t.is(outcome.response.headers?.["x-request-id"], requestId);
    t.deepEqual(outcome.body, {
      type: "about:blank",
      title: error.title,
      status: error.status,
      detail: error.detail,
      requestId,
    });
    t.like(logOf(outcome), {
      level: error.status >= 500 ? "ERROR" : "INFO",
      requestId,
      status: error.status,
    });
  },
  title: (_providedTitle, error) =>
    `answers a thrown ${error.constructor.name} with its problem+json ${error.status}`,
});
test.serial(problem, new NotFoundError());
test.serial(problem, new ConflictError("A request with this Idempotency-Key is in flight."));
test.serial(problem, new PreconditionFailedError());
test.serial(problem, new ContentTooLargeError(65_536));
test.serial(problem, new UnsupportedMediaTypeError());
test.serial(
  problem,
  new UnprocessableContentError("This Idempotency-Key was used for another body."),
);
test.serial(problem, new ServiceUnavailableError());
test.serial(problem, new BadRequestError("The request body is empty; send a JSON object."));

test.serial("lists every invalid field of a 400", async (t) => {
  const errors = [
    { path: "name", message: "must be 1 to 200 characters" },
    { path: "extra", message: "is not allowed" },
  ];
  const outcome = await invoke(
    throwing(new BadRequestError("The request body is invalid.", errors)),
  );
  t.is(outcome.response.statusCode, 400);
  t.deepEqual(outcome.body, {
    type: "about:blank",
    title: "Bad Request",
    status: 400,
    detail: "The request body is invalid.",
    requestId: requestIdOf(outcome.event),
    errors,
  });
});

test.serial("a 503 carries Retry-After", async (t) => {
  const outcome = await invoke(throwing(new ServiceUnavailableError(2)));
  t.is(outcome.response.statusCode, 503);
  t.is(outcome.response.headers?.["retry-after"], "2");
  t.is(outcome.response.headers?.["content-type"], "application/problem+json");
});

test.serial("logs what caused a 503 but never shows it", async (t) => {
  const cause = Object.assign(new Error("connect ECONNREFUSED 10.0.0.7:8000"), {
    code: "ECONNREFUSED",
  });
  const outcome = await invoke(throwing(new ServiceUnavailableError(1, cause)));
  t.is(outcome.response.statusCode, 503);
  t.notRegex(outcome.response.body ?? "", /ECONNREFUSED|10\.0\.0\.7/);
  const [line] = outcome.lines.map((text) => JSON.parse(text) as { error?: { message: string } });
  t.is(line?.error?.message, "connect ECONNREFUSED 10.0.0.7:8000");
});

test.serial("maps an error thrown before the handler's first await", async (t) => {
  const handle = (() => {
    throw new NotFoundError();
  }) as unknown as Handler;
  const outcome = await invoke(handle);
  t.is(outcome.response.statusCode, 404);
});

// Unexpected errors: a generic 500 that leaks nothing, and the whole story in the log.
const secret =
  "User: arn:aws:sts::123456789012:assumed-role/items-api-get-item/x is not authorized to " +
  "perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/items-prod";
const sdkError = Object.assign(new Error(secret), {
  name: "AccessDeniedException",
  $fault: "client",
  $metadata: { httpStatusCode: 400, requestId: "AWS-REQUEST-ID" },
});
const leaks =
  /arn:|items-prod|123456789012|AccessDenied|dynamodb|GetItem|AWS-REQUEST-ID|\bat\s|\.ts|stack/i;

const hidden = test.macro({
  exec: async (t, thrown: unknown) => {
    const outcome = await invoke(throwing(thrown));
    const requestId = requestIdOf(outcome.event);
    t.is(outcome.response.statusCode, 500);
    t.deepEqual(outcome.response.headers, {
      "content-type": "application/problem+json",
      "x-request-id": requestId,
    });
    t.deepEqual(outcome.body, {
      type: "about:blank",
      title: "Internal Server Error",
      status: 500,
      detail: "An unexpected error occurred.",
      requestId,
    });
    t.notRegex(outcome.response.body ?? "", leaks);
  },
  title: (providedTitle = "") => `answers a generic 500 that leaks nothing to ${providedTitle}`,
});
test.serial("an SDK error naming an ARN and a table", hidden, sdkError);
test.serial(
  "a TypeError from a bug",
  hidden,
  new TypeError("Cannot read properties of undefined (reading 'stack')"),
);
test.serial("a thrown string", hidden, `boom: ${secret}`);
test.serial("a thrown plain object", hidden, { message: secret, stack: secret });
test.serial("an object that looks like an HttpError but is not one", hidden, {
  status: 400,
  title: "Bad Request",
  detail: secret,
  headers: { "x-leak": secret },
});
test.serial("undefined", hidden, undefined);
test.serial("null", hidden, null);

test.serial("logs an unexpected error with its stack and the request id", async (t) => {
  const event = createEvent({ method: "DELETE", id: item.id });
  const outcome = await invoke(throwing(sdkError), event);
  const log = logOf(outcome);
  t.like(log, {
    level: "ERROR",
    requestId: requestIdOf(event),
    method: "DELETE",
    path: `/${item.id}`,
    status: 500,
    error: { name: "AccessDeniedException", message: secret },
  });
  t.is(typeof log.durationMs, "number");
  const stack = (log.error as { stack?: string }).stack ?? "";
  t.is(stack, sdkError.stack as string);
  t.regex(stack, /http\.test\.ts/);
});

test.serial("logs a thrown non-error as such", async (t) => {
  const outcome = await invoke(throwing("just a string"));
  t.like(logOf(outcome), { status: 500, error: { name: "NonError", message: "just a string" } });
});

const circular: Record<string, unknown> = {};
circular.self = circular;
const unprintable = test.macro({
  exec: async (t, thrown: unknown) => {
    const outcome = await invoke(throwing(thrown));
    t.is(outcome.response.statusCode, 500);
    t.is(outcome.response.headers?.["x-request-id"], requestIdOf(outcome.event));
    const log = logOf(outcome);
    t.like(log, { level: "ERROR", status: 500 });
    const error = log.error as Record<string, unknown>;
    t.is(typeof error.name, "string");
    t.is(typeof error.message, "string");
  },
  title: (providedTitle = "") =>
    `answers 500 and logs its line even for ${providedTitle}, which JSON cannot hold as is`,
});
test.serial(
  "an error whose message is a BigInt",
  unprintable,
  Object.assign(new Error("x"), { message: 10n }),
);
test.serial(
  "an error whose message is circular",
  unprintable,
  Object.assign(new Error("x"), { message: circular }),
);
test.serial(
  "an error whose stack is not a string",
  unprintable,
  Object.assign(new Error("x"), { stack: 10n }),
);
test.serial("a thrown object without a prototype", unprintable, Object.create(null));
test.serial("a thrown object whose toString throws", unprintable, {
  toString() {
    throw new Error("no");
  },
});
test.serial("a thrown symbol", unprintable, Symbol("boom"));
test.serial("a thrown BigInt", unprintable, 10n);

test.serial("does not log an expected error as an unexpected one", async (t) => {
  for (const error of [new NotFoundError(), new ServiceUnavailableError()]) {
    t.false("error" in logOf(await invoke(throwing(error))));
  }
});

test.serial(
  "still answers, as request unknown, when the event has no request context",
  async (t) => {
    const event = { headers: {} } as unknown as APIGatewayProxyEventV2;
    const outcome = await invoke(throwing(new Error("x")), event);
    t.is(outcome.response.statusCode, 500);
    t.is(outcome.response.headers?.["x-request-id"], "unknown");
    t.like(logOf(outcome), { requestId: "unknown", status: 500 });
  },
);

// Building successes.
test("the ETag of an item is its version, quoted", (t) => {
  t.is(etagOf({ version: 1 }), '"1"');
  t.is(etagOf({ version: 42 }), '"42"');
});

test("an item answer carries the item, its ETag and a JSON content type", (t) => {
  const response = itemResponse(200, item);
  t.is(response.statusCode, 200);
  t.deepEqual(response.headers, { "content-type": "application/json", etag: '"3"' });
  t.deepEqual(JSON.parse(response.body ?? ""), item);
});

test("an item answer keeps extra headers such as Location", (t) => {
  const response = itemResponse(201, item, { location: `/${item.id}` });
  t.is(response.statusCode, 201);
  t.deepEqual(response.headers, {
    "content-type": "application/json",
    etag: '"3"',
    location: `/${item.id}`,
  });
});

test("a JSON answer carries its body and headers", (t) => {
  const link = '</?lk=x&limit=1>; rel="next"';
  const response = jsonResponse(200, { items: [], lk: null }, { link });
  t.deepEqual(response, {
    statusCode: 200,
    headers: { "content-type": "application/json", link },
    body: '{"items":[],"lk":null}',
  });
});

test("an empty answer has neither body nor content type", (t) => {
  t.deepEqual(emptyResponse(204), { statusCode: 204, headers: {} });
  t.deepEqual(emptyResponse(304, { etag: '"3"' }), { statusCode: 304, headers: { etag: '"3"' } });
});
