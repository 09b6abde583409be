/**
 * `npm start` stops cleanly whichever of its processes is signalled: npm itself (which forwards
 * SIGINT and SIGTERM to its child) or the server process. A request in flight when the signal
 * arrives is answered, then the port is closed and no process is left.
 *
 * Every step waits for an event (a line printed, a response, an exit, a refused connection);
 * ava's timeout only bounds a hang.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import test, { type ExecutionContext } from "ava";
import { projectRoot } from "../../scripts/build/build.ts";
import { ensureBundles } from "../helpers/local-api.ts";

test.before(ensureBundles);

/** `npm start` as a user runs it, and what it printed so far. */
interface NpmStart {
  readonly npm: ChildProcess;
  readonly url: URL;
  /** The server process, from the ready line. */
  readonly serverPid: number;
  output(): string;
  /** Resolves once the output matches; rejects if npm exits first. */
  printed(pattern: RegExp): Promise<RegExpExecArray>;
}

async function startNpm(t: ExecutionContext, stopGraceMs = 600_000): Promise<NpmStart> {
  // Under `npm test` (or npx), the same npm; else the one on the PATH.
  const npmCli = process.env.npm_execpath;
  const args = ["start", "--", "--skip-build", "--in-memory"];
  const npm = npmCli?.endsWith(".js")
    ? spawn(process.execPath, [npmCli, ...args], { cwd: projectRoot, env: npmEnv(stopGraceMs) })
    : spawn("npm", args, { cwd: projectRoot, env: npmEnv(stopGraceMs) });
  let text = "";
  const waiting = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiting) check();
  };
  npm.stdout?.on("data", onData);
  npm.stderr?.on("data", onData);
  const printed = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const onExit = () => {
        waiting.delete(check);
        reject(new Error(`npm exited before printing ${pattern}:\n${text}`));
      };
      const check = () => {
        const match = pattern.exec(text);
        if (!match) return;
        waiting.delete(check);
        npm.off("exit", onExit);
        resolve(match);
      };
      waiting.add(check);
      npm.once("exit", onExit);
      check();
    });
  let serverPid: number | undefined;
  t.teardown(() => {
    // Only after a failure is anything left to end.
    if (npm.exitCode === null && npm.signalCode === null) npm.kill("SIGKILL");
    if (serverPid !== undefined && isRunning(serverPid)) process.kill(serverPid, "SIGKILL");
  });
  const [, pid, url] = await printed(/ready in \d+ ms \(pid (\d+)\): (http:\/\/\S+)/);
  serverPid = Number(pid);
  return { npm, url: new URL(url as string), serverPid, output: () => text, printed };
}

function npmEnv(stopGraceMs: number): NodeJS.ProcessEnv {
  const { npm_lifecycle_event: _, npm_lifecycle_script: __, ...env } = process.env;
  // By default requests in flight get longer than any test waits: the test's own steps, however
  // slow the machine, never race the grace period.
  return {
    ...env,
    PORT: "0",
    STOP_GRACE_MS: String(stopGraceMs),
    npm_config_update_notifier: "false",
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The parent of a process, where /proc tells it (Linux). */
function parentOf(pid: number): number | undefined {
  if (!existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/**
 * A POST whose headers the server has read (it answered `100 Continue`) and whose body is not
 * sent yet: a request in flight, for as long as the test likes.
 */
async function requestInFlight(url: URL) {
  const socket = connect(Number(url.port), "127.0.0.1");
  let received = "";
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString();
  });
  const body = JSON.stringify({ name: "in flight", description: "sent after the signal" });
  socket.write(
    [
      "POST / HTTP/1.1",
      `Host: ${url.host}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Expect: 100-continue",
      "Connection: close",
      "",
      "",
    ].join("\r\n"),
  );
  await untilReceived(socket, () => received.includes("100 Continue"));
  return {
    /** Resolves once the server closes the connection, the body never sent: true if no answer came. */
    cut: async () => {
      if (!socket.closed) await once(socket, "close");
      return !received.slice(received.indexOf("\r\n\r\n") + 4).startsWith("HTTP/");
    },
    /** Sends the body; resolves with the final response's status line and body. */
    finish: async () => {
      const ended = once(socket, "end");
      socket.write(body);
      await ended;
      const final = received.slice(received.indexOf("\r\n\r\n") + 4);
      return {
        statusLine: final.split("\r\n")[0],
        body: final.slice(final.indexOf("\r\n\r\n") + 4),
      };
    },
  };
}

function untilReceived(socket: Socket, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!done()) return;
      socket.off("data", check);
      socket.off("close", onClose);
      resolve();
    };
    const onClose = () => reject(new Error("the connection closed first"));
    socket.on("data", check);
    socket.once("close", onClose);
  });
}

/** Resolves with the error code of a connection attempt to the port (`ECONNREFUSED`). */
function connectionError(url: URL): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

const stopsCleanly = test.macro({
  async exec(t, target: "npm" | "server", signal: "SIGTERM" | "SIGINT") {
    const started = await startNpm(t);
    const parent = parentOf(started.serverPid);
    // `exec` in the npm script: no shell (which would die of the signal) and no tsx process
    // between npm and the server.
    if (parent !== undefined) t.is(parent, started.npm.pid ?? -1, "the server is npm's own child");
    const request = await requestInFlight(started.url);
    const exited = once(started.npm, "exit");

    (target === "npm"
      ? started.npm
      : { kill: (s: string) => process.kill(started.serverPid, s) }
    ).kill(signal);
    await started.printed(new RegExp(`${signal}: finishing requests in flight`));
    const answer = await request.finish();
    t.is(answer.statusLine, "HTTP/1.1 201 Created", answer.body);
    t.is((JSON.parse(answer.body) as { name: string }).name, "in flight");

    const [code] = await exited;
    t.is(code, 0, started.output());
    t.regex(started.output(), /^stopped$/m);
    t.is(await connectionError(started.url), "ECONNREFUSED", "the port is closed");
    t.false(isRunning(started.serverPid), "the server process is gone");
  },
  title: (_ = "", target, signal) =>
    `${signal} to the ${target === "npm" ? "npm" : "server"} process of npm start answers the request in flight, then closes the port`,
});

test(stopsCleanly, "npm", "SIGTERM");
test(stopsCleanly, "npm", "SIGINT");
test(stopsCleanly, "server", "SIGTERM");
test(stopsCleanly, "server", "SIGINT");

test("a signal repeated while stopping (a Ctrl-C, which npm forwards too) does not cut requests short", async (t) => {
  const started = await startNpm(t);
  const request = await requestInFlight(started.url);
  const exited = once(started.npm, "exit");
  process.kill(started.serverPid, "SIGINT");
  await started.printed(/SIGINT: finishing requests in flight/);
  // One at a time: two pending signals of one kind merge into one.
  started.npm.kill("SIGINT");
  await started.printed(/SIGINT: already stopping/);
  process.kill(started.serverPid, "SIGINT");
  await started.printed(/(SIGINT: already stopping\n[\s\S]*){2}/);
  const answer = await request.finish();
  t.is(answer.statusLine, "HTTP/1.1 201 Created", answer.body);
  t.is((await exited)[0], 0, started.output());
  t.is(started.output().match(/finishing requests in flight/g)?.length, 1);
  t.is(await connectionError(started.url), "ECONNREFUSED");
});

test("a request that never finishes is cut when the grace period ends: the stop is bounded", async (t) => {
  const started = await startNpm(t, 0);
  const request = await requestInFlight(started.url);
  const exited = once(started.npm, "exit");
  started.npm.kill("SIGTERM");
  t.is(await request.cut(), true, "the server closed the connection of the unfinished request");
  t.is((await exited)[0], 0, started.output());
  t.regex(started.output(), /^stopped$/m);
  t.is(await connectionError(started.url), "ECONNREFUSED");
});
