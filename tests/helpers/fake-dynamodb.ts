/**
 * A fake DynamoDB endpoint that fails on purpose, the way the real one can: throttling, its own
 * 5xx, an access error, a request it never answers, a connection it drops. Only for failures:
 * whatever works is tested against a real DynamoDB-compatible server.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";

export type Fault =
  | "throttled"
  | "throttling"
  | "internal-error"
  | "unavailable"
  | "access-denied"
  | "hang"
  | "reset";

const awsJson = "application/x-amz-json-1.0";
const errorAnswers: Record<string, { status: number; type: string; message: string }> = {
  throttled: {
    status: 400,
    type: "ProvisionedThroughputExceededException",
    message: "Rate of requests exceeds the allowed throughput for table items-secret-table.",
  },
  throttling: { status: 400, type: "ThrottlingException", message: "Rate exceeded" },
  "internal-error": { status: 500, type: "InternalServerError", message: "Internal server error" },
  unavailable: { status: 503, type: "ServiceUnavailable", message: "Service unavailable" },
  "access-denied": {
    status: 400,
    type: "AccessDeniedException",
    message:
      "User: arn:aws:sts::123456789012:assumed-role/items/fn is not authorized to perform: " +
      "dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/items-secret-table",
  },
};

export interface FakeDynamoDb {
  readonly endpoint: string;
  /** What the next requests get. */
  fault: Fault;
  /** Requests received since the last reset, by DynamoDB operation (X-Amz-Target). */
  readonly requests: string[];
  stop(): Promise<void>;
}

/** Starts the fake on a free local port. */
export async function startFakeDynamoDb(fault: Fault = "throttled"): Promise<FakeDynamoDb> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  const fake = { fault, requests } as { fault: Fault; requests: string[] };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests.push(String(request.headers["x-amz-target"] ?? "?").replace(/^.*\./, ""));
      if (fake.fault === "hang") return;
      if (fake.fault === "reset") {
        request.socket.destroy();
        return;
      }
      const answer = errorAnswers[fake.fault];
      if (!answer) throw new Error(`unknown fault ${fake.fault}`);
      response.writeHead(answer.status, {
        "content-type": awsJson,
        "x-amzn-requestid": "FAKE",
      });
      response.end(
        JSON.stringify({
          __type: `com.amazonaws.dynamodb.v20120810#${answer.type}`,
          message: answer.message,
        }),
      );
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${address.port}`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
