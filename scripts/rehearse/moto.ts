/**
 * The emulator: moto_server from PyPI, in a virtual environment cached by moto's and Python's
 * versions, started on 127.0.0.1 for one rehearsal and stopped at its end.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { cacheDir } from "./cache.ts";
import { run } from "./run.ts";

export const motoVersion = "5.2.5";

/** The cached virtual environment with moto[server], made on first use. */
async function motoVenv(): Promise<string> {
  const script = "import sys; print('%d.%d' % sys.version_info[:2])";
  const python = (await run("python3", ["-c", script], { capture: true })).stdout.trim();
  const venv = join(cacheDir(), `moto-${motoVersion}-python${python}`);
  // Written last: a venv's scripts name its folder, so it is made in place, and only a
  // finished install has this file.
  const done = join(venv, "installed");
  if (existsSync(done)) return venv;
  console.log(`rehearse: installing moto[server]==${motoVersion} into ${venv}`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(cacheDir(), { recursive: true });
  await run("python3", ["-m", "venv", venv]);
  const pip = join(venv, "bin", "pip");
  await run(pip, [
    "install",
    "--quiet",
    "--disable-pip-version-check",
    `moto[server]==${motoVersion}`,
  ]);
  writeFileSync(done, `moto[server]==${motoVersion}\n`);
  return venv;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** A running moto_server. */
export interface Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

async function waitUntilUp(endpoint: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("moto_server did not answer within a minute");
}

/** Starts moto_server on a free loopback port. */
export async function startEmulator(): Promise<Emulator> {
  const venv = await motoVenv();
  const port = await freePort();
  const child = spawn(join(venv, "bin", "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", process.env.ITEMS_API_REHEARSAL_MOTO_LOG ? "inherit" : "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-20000);
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return { endpoint, stop };
}
