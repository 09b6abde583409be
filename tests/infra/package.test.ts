import { mkdtemp, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import test from "ava";
import { routes } from "../../common/routes.ts";
import { bundleFilesOf } from "../../scripts/build/build.ts";
import { base64Sha256Of, packageAll, reproducibleZipOf } from "../../scripts/build/package.ts";

const twoBuilds = Promise.all(
  [1, 2].map(async (n) =>
    packageAll(await mkdtemp(path.join(os.tmpdir(), `items-api-zips-${n}-`))),
  ),
);

test("two builds of the same source give byte-identical zips", async (t) => {
  const [first = [], second = []] = await twoBuilds;
  t.deepEqual(
    first.map((pkg) => pkg.name),
    routes.map((route) => route.name),
  );
  for (const [i, pkg] of first.entries()) {
    const again = second[i];
    if (!again) return t.fail(`the second build has no ${pkg.name}`);
    t.not(pkg.zipPath, again.zipPath);
    t.true((await readFile(pkg.zipPath)).equals(await readFile(again.zipPath)), pkg.name);
    t.is(pkg.base64Sha256, again.base64Sha256);
  }
});

test("each package's hash is the base64 SHA-256 Terraform computes for the zip file", async (t) => {
  const [first = []] = await twoBuilds;
  for (const pkg of first) {
    t.is(pkg.base64Sha256, base64Sha256Of(await readFile(pkg.zipPath)));
    t.regex(pkg.base64Sha256, /^[A-Za-z0-9+/]{43}=$/);
  }
});

/** The central directory entries of a zip: name, DOS time and date, and unix mode. */
function centralDirectoryOf(zip: Buffer) {
  const entries = [];
  for (let at = zip.indexOf("PK\x01\x02"); at !== -1; at = zip.indexOf("PK\x01\x02", at + 4)) {
    const nameLength = zip.readUInt16LE(at + 28);
    entries.push({
      name: zip.toString("utf8", at + 46, at + 46 + nameLength),
      dosTime: zip.readUInt16LE(at + 12),
      dosDate: zip.readUInt16LE(at + 14),
      mode: zip.readUInt32LE(at + 38) >>> 16,
      extraLength: zip.readUInt16LE(at + 30),
    });
  }
  return entries;
}

test("zip entries are sorted, dated 1980-01-01 00:00 and mode 644, with no extra timestamps", async (t) => {
  const content = new TextEncoder().encode("x");
  const zip = await reproducibleZipOf([
    { name: "b.mjs", content },
    { name: "a.mjs", content },
  ]);
  const dos1980 = (0 << 9) | (1 << 5) | 1;
  t.deepEqual(centralDirectoryOf(zip), [
    { name: "a.mjs", dosTime: 0, dosDate: dos1980, mode: 0o100644, extraLength: 0 },
    { name: "b.mjs", dosTime: 0, dosDate: dos1980, mode: 0o100644, extraLength: 0 },
  ]);
});

test("the function zip holds exactly the bundle's files, index.mjs at its root for index.handler", async (t) => {
  const [first = []] = await twoBuilds;
  for (const pkg of first) {
    const route = routes.find((r) => r.name === pkg.name);
    if (!route) return t.fail(`no route for ${pkg.name}`);
    const files = await bundleFilesOf(route);
    const entries = centralDirectoryOf(await readFile(pkg.zipPath));
    t.deepEqual(
      entries.map((entry) => entry.name),
      files.map((file) => file.name),
      pkg.name,
    );
    t.true(
      entries.some((entry) => entry.name === "index.mjs"),
      pkg.name,
    );
  }
});
