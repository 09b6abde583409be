import test from "ava";
import {
  BadRequestError,
  ConflictError,
  ContentTooLargeError,
  HttpError,
  NotFoundError,
  PreconditionFailedError,
  ServiceUnavailableError,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
} from "../../common/errors.ts";

const answers = test.macro<[HttpError, number, string]>({
  exec(t, error: HttpError, status: number, title: string) {
    t.true(error instanceof HttpError);
    t.true(error instanceof Error);
    t.is(error.status, status);
    t.is(error.title, title);
    t.is(error.message, error.detail);
    t.true(error.detail.length > 0);
    t.is(error.name, error.constructor.name);
  },
  title: (_providedTitle, error, status, title) =>
    `${error.constructor.name} answers ${status} ${title}`,
});
test(answers, new BadRequestError("The request body is invalid."), 400, "Bad Request");
test(answers, new NotFoundError(), 404, "Not Found");
test(answers, new ConflictError("in flight"), 409, "Conflict");
test(answers, new PreconditionFailedError(), 412, "Precondition Failed");
test(answers, new ContentTooLargeError(65_536), 413, "Content Too Large");
test(answers, new UnsupportedMediaTypeError(), 415, "Unsupported Media Type");
test(answers, new UnprocessableContentError("other body"), 422, "Unprocessable Content");
test(answers, new ServiceUnavailableError(), 503, "Service Unavailable");

test("a 400 lists its invalid fields, none by default", (t) => {
  t.deepEqual(new BadRequestError("x").errors, []);
  const errors = [{ path: "name", message: "is required" }];
  t.deepEqual(new BadRequestError("x", errors).errors, errors);
});

test("a 413 names the limit in bytes", (t) => {
  t.regex(new ContentTooLargeError(65_536).detail, /65536 bytes/);
});

test("a 503 tells the client when to retry, one second by default", (t) => {
  t.deepEqual(new ServiceUnavailableError().headers, { "retry-after": "1" });
  t.deepEqual(new ServiceUnavailableError(5).headers, { "retry-after": "5" });
});

test("errors other than 503 carry no extra headers", (t) => {
  t.deepEqual(new NotFoundError().headers, {});
  t.deepEqual(new BadRequestError("x").headers, {});
});

test("details have defaults that say what went wrong", (t) => {
  t.regex(new NotFoundError().detail, /does not exist/);
  t.regex(new PreconditionFailedError().detail, /not at the version/);
  t.regex(new UnsupportedMediaTypeError().detail, /application\/json/);
  t.regex(new ServiceUnavailableError().detail, /retry/);
});
