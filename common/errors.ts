/**
 * The closed set of errors a handler may throw. `withHttp` turns each into its HTTP answer;
 * anything else is unexpected, logged with its stack, and answered with a generic 500.
 */

/** One invalid field of a request, as listed in a 400's `errors`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An error whose status, title and detail are safe to show to the client. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(
    detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(400, "Bad Request", detail);
  }
}

export class NotFoundError extends HttpError {
  constructor(detail = "The item does not exist.") {
    super(404, "Not Found", detail);
  }
}

export class ConflictError extends HttpError {
  constructor(detail: string) {
    super(409, "Conflict", detail);
  }
}

export class PreconditionFailedError extends HttpError {
  constructor(detail = "The item is not at the version the request requires.") {
    super(412, "Precondition Failed", detail);
  }
}

export class ContentTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(413, "Content Too Large", `The request body is larger than ${limitBytes} bytes.`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor() {
    super(415, "Unsupported Media Type", "The request body must be sent as application/json.");
  }
}

export class UnprocessableContentError extends HttpError {
  constructor(detail: string) {
    super(422, "Unprocessable Content", detail);
  }
}

/** The database is throttling, timing out or unreachable: the client should retry later. */
export class ServiceUnavailableError extends HttpError {
  /** `cause` is what failed underneath: logged for operators, never shown to the client. */
  constructor(retryAfterSeconds = 1, cause?: unknown) {
    super(503, "Service Unavailable", "The service is temporarily unavailable; retry later.", {
      "retry-after": String(retryAfterSeconds),
    });
    this.cause = cause;
  }
}
