/**
 * The project's documents stand on their own in a clone: every relative link in its Markdown
 * resolves to a file inside the repository, and no file points to the `shared` folder beside the
 * clone, which the developers had and users do not.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import test from "ava";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// What is not the project's own: installed, generated or local data (see .gitignore).
const skipped = new Set([
  ".git",
  "node_modules",
  ".data",
  "dist",
  "cdktf.out",
  ".gen",
  ".terraform",
  "bench-results",
  "test-results",
]);

async function projectFiles(dir = root): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (skipped.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await projectFiles(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** The targets of a Markdown document's inline links and images, `[text](target "title")`. */
function linkTargets(markdown: string): string[] {
  // Code (fenced or inline) shows link syntax without being a link.
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const link = /!?\[[^\]]*\]\(\s*(?:<([^>\n]*)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g;
  return [...prose.matchAll(link)].map((match) => match[1] ?? match[2] ?? "");
}

const isRelative = (target: string) => !/^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(target);

test("the link finder finds inline links and images, and none inside code", (t) => {
  t.deepEqual(
    linkTargets(
      '[a](docs/A.md) ![i](img.png "title") [b](<with space.md>) `[c](in-code.md)`\n' +
        "```\n[d](fenced.md)\n```\n[e](https://example.com) [f](#anchor) [g](B.md#part)",
    ),
    ["docs/A.md", "img.png", "with space.md", "https://example.com", "#anchor", "B.md#part"],
  );
});

test("every relative link in the repository's Markdown resolves to a file inside it", async (t) => {
  const documents = (await projectFiles()).filter((file) => file.endsWith(".md"));
  t.true(
    documents.some((file) => file.endsWith(path.join("docs", "API.md"))),
    "docs/API.md",
  );
  let checked = 0;
  for (const document of documents) {
    for (const target of linkTargets(await readFile(document, "utf8"))) {
      if (!isRelative(target)) continue;
      const file = path.resolve(path.dirname(document), decodeURI(target.split("#")[0] ?? ""));
      const where = `${path.relative(root, document)}: ${target}`;
      t.false(path.relative(root, file).startsWith(".."), `${where} leaves the repository`);
      t.true((await stat(file).catch(() => undefined)) !== undefined, `${where} does not exist`);
      checked++;
    }
  }
  t.true(checked >= 10, `only ${checked} relative links found`);
});

test("no project file points to the shared folder beside the clone", async (t) => {
  const outside = Buffer.from(["..", "shared", ""].join("/"));
  const offenders: string[] = [];
  for (const file of await projectFiles()) {
    if ((await readFile(file)).includes(outside)) offenders.push(path.relative(root, file));
  }
  t.deepEqual(offenders, []);
});
