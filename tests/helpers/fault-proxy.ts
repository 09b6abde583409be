/**
 * A fault-injecting proxy in front of a DynamoDB-compatible server: it forwards requests as they
 * are, or answers some of them the way DynamoDB does when it is throttling, stalls them, resets
 * the connection, or forwards them and drops the connection instead of answering (the write
 * lands, the client never hears of it). Faults are injected on the wire, in DynamoDB's own JSON protocol, never by mocking the SDK.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | "none"
  /** 400 ThrottlingException, as DynamoDB answers when a table or account is throttled. */
  | "throttling"
  /** 400 ProvisionedThroughputExceededException. */
  | "provisioned-throughput"
  /** Accept the request, never answer. */
  | "stall"
  /** Close the connection without an answer. */
  | "reset"
  /** Forward the request, then drop the connection instead of passing DynamoDB's answer on. */
  | "lose-answer";

export interface FaultOptions {
  /** Only these operations (e.g. `PutItem`); all when absent. */
  readonly operations?: readonly string[];
  /** Inject into every n-th matching request only (1 = all). */
  readonly every?: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen, by operation, and how many got a fault. */
  readonly counts: { forwarded: number; injected: number; byOperation: Record<string, number> };
  inject(fault: Fault, options?: FaultOptions): void;
  /** Resolves once `condition(counts)` holds (checked at once and after every request seen). */
  untilCounts(condition: (counts: FaultProxy["counts"]) => boolean): Promise<void>;
  close(): Promise<void>;
}

const errorTypes = {
  throttling: [
    "com.amazon.coral.availability#ThrottlingException",
    "Rate of requests exceeds the allowed throughput.",
  ],
  "provisioned-throughput": [
    "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
    "The level of configured provisioned throughput for the table was exceeded.",
  ],
} as const;

/** Starts the proxy on a free port in front of `upstream` (an http:// endpoint). */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let fault: Fault = "none";
  let options: FaultOptions = {};
  let matching = 0;
  const counts = { forwarded: 0, injected: 0, byOperation: {} as Record<string, number> };
  const stalled = new Set<ServerResponse>();
  let waiters: Array<() => void> = [];
  const counted = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };

  const forward = (req: IncomingMessage, body: Buffer, onAnswer: (answer: Answer) => void) => {
    counts.forwarded++;
    const upstreamRequest = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          onAnswer({
            status: res.statusCode ?? 500,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    upstreamRequest.on("error", () => onAnswer(undefined));
    upstreamRequest.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = String(req.headers["x-amz-target"] ?? "").split(".")[1] ?? "?";
      counts.byOperation[operation] = (counts.byOperation[operation] ?? 0) + 1;
      const applies =
        fault !== "none" &&
        (options.operations === undefined || options.operations.includes(operation)) &&
        matching++ % (options.every ?? 1) === 0;
      if (!applies) {
        counted();
        return forward(req, body, (answer) => reply(res, answer));
      }
      counts.injected++;
      counted();
      if (fault === "throttling" || fault === "provisioned-throughput") {
        const [type, message] = errorTypes[fault];
        return reply(res, {
          status: 400,
          headers: { "content-type": "application/x-amz-json-1.0" },
          body: Buffer.from(JSON.stringify({ __type: type, message })),
        });
      }
      if (fault === "reset") return void req.socket.destroy();
      if (fault === "lose-answer") return forward(req, body, () => void req.socket.destroy());
      stalled.add(res);
      res.on("close", () => stalled.delete(res));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    async untilCounts(condition) {
      while (!condition(counts)) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    inject(next, nextOptions = {}) {
      fault = next;
      options = nextOptions;
      matching = 0;
      // Lifting a stall lets nothing through late: the stalled requests are cut.
      if (next !== "stall") for (const res of stalled) res.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

type Answer =
  | { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }
  | undefined;

function reply(res: ServerResponse, answer: Answer): void {
  if (res.destroyed) return;
  if (!answer) return void res.socket?.destroy();
  const { "transfer-encoding": _, connection: __, ...headers } = answer.headers;
  res.writeHead(answer.status, { ...headers, "content-length": answer.body.length });
  res.end(answer.body);
}
