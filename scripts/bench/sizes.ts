/** Bundle sizes as shipped: raw (minified) bytes and gzip level 9 bytes. */
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";

export interface SizeFigure {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

/** The size of the bundle at `file`. */
export async function sizeOf(name: string, file: string): Promise<SizeFigure> {
  const code = await readFile(file);
  return { name, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}
