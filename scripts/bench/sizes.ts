/**
 * Bundle sizes as shipped: raw (minified) bytes of every file, what a cold start loads of them,
 * and gzip level 9 bytes. A function's come from the build (scripts/build/build.ts); a yardstick is one
 * file, all of it loaded.
 */
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import type { BundleSize } from "../build/build.ts";

export type SizeFigure = BundleSize;

/** The size of the bundle at `file`. */
export async function sizeOf(name: string, file: string): Promise<SizeFigure> {
  const code = await readFile(file);
  const gzipBytes = gzipSync(code, { level: 9 }).length;
  return { name, bytes: code.length, gzipBytes, initBytes: code.length };
}
