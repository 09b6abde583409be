/** The rehearsal's cache folder (built provider, Python environment), shared between runs. */
import { homedir } from "node:os";
import { join } from "node:path";

export function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "items-api");
}
