/**
 * One Lambda execution environment, inside a worker thread: imports one bundle once (the cold
 * start), then runs the invocations its pool hands it, one at a time. The pool compiles this file
 * to plain JavaScript and starts it with no loader, so the bundle runs as it does on Lambda.
 * It must stay self-contained: Node built-ins only.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";

/** What a new instance is told about its function. */
export interface FunctionWorkerData {
  readonly bundlePath: string;
  readonly functionName: string;
  readonly memoryLimitMb: number;
  readonly region: string;
  readonly accountId: string;
}

/** Pool to instance: run the handler once. */
export interface InvokeMessage {
  readonly eventJson: string;
  /** Epoch ms after which the gateway gives up (what `getRemainingTimeInMillis` counts to). */
  readonly deadline: number;
  readonly traceId: string;
}

/** What the function wrote, in order: stdout or stderr, and the text. */
export type FunctionOutput = ReadonlyArray<readonly ["stdout" | "stderr", string]>;

/** Instance to pool: how the load or an invocation ended (a result is JSON text, as on Lambda). */
type Answer =
  | { readonly kind: "ready" }
  | { readonly kind: "init-error" }
  | { readonly kind: "result"; readonly resultJson: string }
  | { readonly kind: "error" };

/** Each message carries what the function wrote since the last (`output` alone: in between). */
export type FunctionWorkerMessage = (Answer | { readonly kind: "output" }) & {
  readonly output: FunctionOutput;
};

type Handler = (event: unknown, context: object) => unknown;

const data = workerData as FunctionWorkerData;
const port = parentPort;

// What the function writes to stdout and stderr travels with the invocation's answer: one
// message per invocation instead of one more per write through the worker's stdio streams
// (which cost the server about a tenth of its throughput). Output written outside an
// invocation follows on the next turn of the event loop, and before the worker dies.
const pendingOutput: Array<FunctionOutput[number]> = [];
let flushQueued = false;

function flushOutput(): void {
  flushQueued = false;
  if (pendingOutput.length > 0)
    port?.postMessage({ kind: "output", output: pendingOutput.splice(0) });
}

function captureWrites(stream: "stdout" | "stderr"): void {
  const decoder = new TextDecoder();
  process[stream].write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    pendingOutput.push([stream, text]);
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flushOutput);
    }
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  }) as typeof process.stdout.write;
}
captureWrites("stdout");
captureWrites("stderr");
process.on("uncaughtExceptionMonitor", flushOutput);
process.on("exit", flushOutput);

const post = (message: Answer) =>
  port?.postMessage({ ...message, output: pendingOutput.splice(0) });
const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll("-", "/")}/[$LATEST]${randomBytes(16).toString("hex")}`;

async function initialize(): Promise<void> {
  let handler: Handler;
  try {
    const bundle = (await import(pathToFileURL(data.bundlePath).href)) as { handler?: unknown };
    if (typeof bundle.handler !== "function") {
      throw new Error(`${data.bundlePath} does not export a function named "handler"`);
    }
    handler = bundle.handler as Handler;
  } catch (error) {
    logError("Init Error", error);
    post({ kind: "init-error" });
    return;
  }
  port?.on("message", (message: InvokeMessage) => void invoke(handler, message));
  post({ kind: "ready" });
}

async function invoke(handler: Handler, message: InvokeMessage): Promise<void> {
  const awsRequestId = randomUUID();
  // Lambda sets this per invocation; the SDK and X-Ray read it.
  process.env._X_AMZN_TRACE_ID = message.traceId;
  try {
    const result = await handler(JSON.parse(message.eventJson), contextOf(message, awsRequestId));
    // Lambda serializes the result as JSON; `undefined` travels as `null`.
    post({ kind: "result", resultJson: JSON.stringify(result) ?? "null" });
  } catch (error) {
    logError("Invoke Error", error, awsRequestId);
    post({ kind: "error" });
  }
}

function contextOf(message: InvokeMessage, awsRequestId: string) {
  const { functionName, region, accountId, memoryLimitMb } = data;
  return {
    awsRequestId,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: String(memoryLimitMb),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, message.deadline - Date.now()),
  };
}

/** The line Lambda's Node runtime writes when a handler throws or its module fails to load. */
function logError(label: string, error: unknown, requestId?: string): void {
  const report =
    error instanceof Error
      ? {
          errorType: error.name,
          errorMessage: error.message,
          stack: (error.stack ?? "").split("\n"),
        }
      : { errorType: typeof error, errorMessage: String(error), stack: [] };
  const prefix = requestId ? `${new Date().toISOString()}\t${requestId}\t` : "";
  console.error(`${prefix}ERROR\t${label}\t${JSON.stringify(report)}`);
}

void initialize();
