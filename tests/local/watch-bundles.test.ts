/**
 * `npm run dev` must serve the bundles `npm run build` makes: same files, same bytes, the
 * build's plugins included (the Lambda-only SDK swaps, built-ins through require).
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { routes } from "../../common/routes.ts";
import { bundleFilesOf } from "../../scripts/build/build.ts";
import { watchBundles } from "../../scripts/local/watch-bundles.ts";

test("watch mode writes byte for byte the bundles of npm run build", async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), "items-api-watch-"));
  const watcher = await watchBundles(
    () => {},
    (name) => path.join(dir, name),
  );
  try {
    for (const route of routes) {
      const built = await bundleFilesOf(route);
      const watched = (await readdir(path.join(dir, route.name))).sort();
      t.deepEqual(
        watched,
        built.map((file) => file.name),
        route.name,
      );
      for (const file of built) {
        const content = await readFile(path.join(dir, route.name, file.name));
        t.true(content.equals(Buffer.from(file.content)), `${route.name}/${file.name}`);
      }
    }
  } finally {
    await watcher.close();
    await rm(dir, { recursive: true, force: true });
  }
});
