/**
 * A bare HTTP/1.1 client on a TCP socket: it sends exactly the bytes it is given (broken JSON,
 * invalid UTF-8, repeated or missing headers, odd request lines) and parses the first response,
 * so hostile requests reach the server as a hostile client would send them.
 */
import { connect } from "node:net";

export interface RawResponse {
  readonly status: number;
  /** Lower-cased names; repeated headers keep every value. */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly body: Buffer;
  /** Time from the first byte sent to the end of the response, in ms. */
  readonly ms: number;
}

export interface RawRequest {
  readonly method: string;
  /** The request target exactly as sent, e.g. `/abc?limit=1`. */
  readonly target: string;
  /** Header lines in order, repeats allowed; `Host`, `Content-Length` and `Connection: close` are added unless given. */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer | string;
  /** Leave out the automatic `Content-Length`. */
  readonly noContentLength?: boolean;
}

/** Serializes a request into bytes, adding only what a minimal client would. */
export function requestBytes(url: string, request: RawRequest): Buffer {
  const { host } = new URL(url);
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
  const headers = [...(request.headers ?? [])];
  const has = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  if (!has("host")) headers.unshift(["Host", host]);
  if (!request.noContentLength && !has("content-length") && !has("transfer-encoding")) {
    if (body.length > 0 || ["POST", "PUT"].includes(request.method)) {
      headers.push(["Content-Length", String(body.length)]);
    }
  }
  if (!has("connection")) headers.push(["Connection", "close"]);
  const head = `${request.method} ${request.target} HTTP/1.1\r\n${headers
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("")}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), body]);
}

/** Sends raw bytes to the server at `url` and resolves with the first response. */
export function sendRaw(url: string, bytes: Buffer, timeoutMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete response within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = () => {
      const response = parseResponse(Buffer.concat(chunks), performance.now() - started);
      if (!response) return false;
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
      return true;
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      finish();
    });
    // The server may close before it has read everything we send (e.g. after a 413 or a 400).
    socket.on("error", (error) => {
      if (!finish()) {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on("end", () => {
      if (!finish()) {
        clearTimeout(timer);
        reject(new Error(`connection closed before a complete response: ${Buffer.concat(chunks)}`));
      }
    });
    // Not end(): a half-closed connection makes Node's server drop the request unanswered.
    socket.write(bytes);
  });
}

/** Sends a request built from parts. */
export function sendRequest(
  url: string,
  request: RawRequest,
  timeoutMs?: number,
): Promise<RawResponse> {
  return sendRaw(url, requestBytes(url, request), timeoutMs);
}

/** The first complete response in `data`, or undefined while more bytes are needed. */
function parseResponse(data: Buffer, ms: number): RawResponse | undefined {
  const end = data.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine = "", ...lines] = data.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${statusLine}`);
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] = [...(headers[name] ?? []), line.slice(colon + 1).trim()];
  }
  const rest = data.subarray(end + 4);
  if (headers["transfer-encoding"]?.some((v) => /chunked/i.test(v))) {
    return decodeChunked(rest) && { status, headers, body: decodeChunked(rest) as Buffer, ms };
  }
  const length = Number(headers["content-length"]?.[0] ?? 0);
  if (rest.length < length) return undefined;
  return { status, headers, body: rest.subarray(0, length), ms };
}

function decodeChunked(data: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    if (size === 0) return Buffer.concat(parts);
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
