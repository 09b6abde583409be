/**
 * An external dynalite in a process of its own, persisted in a directory, so a test can take the
 * database away (SIGKILL or SIGTERM) and bring it back on the same port with the same data,
 * while the API under test keeps running.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { projectRoot } from "../../../scripts/build/build.ts";

const program = `
const dynalite = require("dynalite");
const [dir, port] = process.argv.slice(1);
const server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(Number(port), "127.0.0.1", () => console.log("listening " + server.address().port));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`;

export interface DynaliteProcess {
  readonly endpoint: string;
  readonly port: number;
  /** Whether the database is up. */
  readonly running: boolean;
  /** Takes the database away; SIGKILL leaves no chance to flush anything. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Brings it back on the same port and data directory. */
  start(): Promise<void>;
}

async function spawnDynalite(dir: string, port: number): Promise<[ChildProcess, number]> {
  const child = spawn(process.execPath, ["-e", program, dir, String(port)], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listening = await new Promise<number>((resolve, reject) => {
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

/** Starts dynalite persisted in `dir`, on a free port (or `port`). */
export async function startDynaliteProcess(dir: string, port = 0): Promise<DynaliteProcess> {
  let [child, actualPort] = await spawnDynalite(dir, port);
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
