/**
 * dynalite in a child process of its own. Where a test drives the database hard (fifty
 * concurrent conditional writes), a server sharing the test's event loop makes every request
 * wait for the handlers' own work; in its own process it answers as a real server would. With a
 * data directory, a test can also take the database away (SIGKILL or SIGTERM) and bring it back
 * on the same port with the same data while the API under test keeps running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { projectRoot } from "../../scripts/build/build.ts";

// Exits when its parent does (stdin closes), and on SIGTERM once dynalite has closed.
const program = `
const dynalite = require("dynalite");
const [dir, port] = process.argv.slice(1);
const server = dynalite({ ...(dir ? { path: dir } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(port), "127.0.0.1", () => console.log("listening " + server.address().port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
process.stdin.on("end", () => process.exit(0)).resume();
`;

export interface DynaliteProcess {
  readonly endpoint: string;
  readonly port: number;
  /** Whether the database is up. */
  readonly running: boolean;
  /** Takes the database away; SIGKILL (the default) leaves no chance to flush anything. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Brings it back on the same port (and data directory: without one it starts empty). */
  start(): Promise<void>;
}

export interface DynaliteProcessOptions {
  /** Where dynalite persists its data; in memory without one. */
  readonly dir?: string;
  /** The port to listen on; a free one by default. */
  readonly port?: number;
}

async function spawnDynalite(dir: string, port: number): Promise<[ChildProcess, number]> {
  const child = spawn(process.execPath, ["-e", program, dir, String(port)], {
    cwd: projectRoot,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const listening = await new Promise<number>((resolve, reject) => {
    // Bounds a hang only: a dynalite that never listens fails the test instead of stalling it.
    const timer = setTimeout(() => reject(new Error(`dynalite not up in 15 s: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`dynalite exited with ${code}: ${output}`));
    });
  });
  return [child, listening];
}

/** Starts dynalite in a child process, in memory or persisted in `dir`, on `port` or a free one. */
export async function startDynaliteProcess(
  options: DynaliteProcessOptions = {},
): Promise<DynaliteProcess> {
  const dir = options.dir ?? "";
  let [child, actualPort] = await spawnDynalite(dir, options.port ?? 0);
  let running = true;
  return {
    endpoint: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    get running() {
      return running;
    },
    async stop(signal = "SIGKILL") {
      if (!running) return;
      running = false;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill(signal);
      await exited;
    },
    async start() {
      if (running) return;
      [child, actualPort] = await spawnDynalite(dir, actualPort);
      running = true;
    },
  };
}
