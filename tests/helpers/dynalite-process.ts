/**
 * dynalite in a child process of its own. Where a test drives the database hard (fifty
 * concurrent conditional writes), a server sharing the test's event loop makes every request
 * wait for the handlers' own work; in its own process it answers as a real server would.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const serverScript = `
import dynalite from "dynalite";
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.on("end", () => process.exit(0)).resume();
`;

export interface DynaliteProcess {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts dynalite in a child process; it also exits when this process does (stdin closes). */
export async function startDynaliteProcess(): Promise<DynaliteProcess> {
  const child = spawn(process.execPath, ["--input-type=module", "-e", serverScript], {
    cwd: projectRoot,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [port] = (await Promise.race([
    once(child.stdout, "data"),
    once(child, "exit").then(() => {
      throw new Error("dynalite exited before listening");
    }),
  ])) as [Buffer];
  return {
    endpoint: `http://127.0.0.1:${Number(String(port).trim())}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill();
      await exited;
    },
  };
}
