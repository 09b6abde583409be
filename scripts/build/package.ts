/**
 * Packages every function of the route table into `dist/packages/<name>.zip`, reproducibly:
 * the same source gives the same bytes on any machine, so Terraform's `filebase64sha256` of an
 * unchanged handler never changes and the function never shows in a plan.
 *
 *   npm run package          build, zip and print each zip's base64 SHA-256
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ZipFile } from "yazl";
import { routes } from "../../common/routes.ts";
import { bundleFilesOf, distDir, projectRoot } from "./build.ts";

/** Where `npm run package` and the synth put the zips. */
export const packagesDir = path.join(distDir, "packages");

/** One function's deployment package. */
export interface FunctionPackage {
  readonly name: string;
  readonly zipPath: string;
  /** What Terraform's `filebase64sha256(zipPath)` returns. */
  readonly base64Sha256: string;
}

/** A file to put in a zip. */
export interface ZipEntry {
  readonly name: string;
  readonly content: Uint8Array;
}

// DOS timestamps are local time: a local-time Date keeps the bytes the same in every time zone.
const fixedMtime = new Date(1980, 0, 1, 0, 0, 0);
const fileMode = 0o100644;

/** Builds a zip whose bytes depend only on the entries' names and contents. */
export function reproducibleZipOf(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new ZipFile();
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of sorted) {
    // Stored, not deflated: deflate output varies with the zlib that Node was built with, and
    // a bundle of a few hundred KiB costs nothing to upload as it is.
    zip.addBuffer(Buffer.from(entry.content), entry.name, {
      mtime: fixedMtime,
      mode: fileMode,
      compress: false,
      forceDosTimestamp: true,
    });
  }
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/** The base64 SHA-256 of some bytes, as Terraform's `filebase64sha256` computes it. */
export function base64Sha256Of(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("base64");
}

/** Builds every function of the route table and writes its zip into `outDir`. */
export async function packageAll(outDir: string = packagesDir): Promise<FunctionPackage[]> {
  await mkdir(outDir, { recursive: true });
  return Promise.all(
    routes.map(async (route) => {
      // write: false: dist/<name>/ stays untouched, so a synth or a test running at the same
      // time as `npm run build` can never zip a half-written bundle.
      const zip = await reproducibleZipOf(await bundleFilesOf(route));
      const zipPath = path.join(outDir, `${route.name}.zip`);
      await writeFile(zipPath, zip);
      return { name: route.name, zipPath, base64Sha256: base64Sha256Of(zip) };
    }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  for (const pkg of await packageAll()) {
    console.log(
      `${pkg.name.padEnd(12)}  ${pkg.base64Sha256}  ${path.relative(projectRoot, pkg.zipPath)}`,
    );
  }
  console.log(
    `packaged ${routes.length} functions in ${Math.round(performance.now() - started)} ms`,
  );
}
