/**
 * The project's import graph, read by esbuild: every import of every file, relative ones resolved
 * to project files, packages left unresolved (external). As things run, type-only imports are not
 * in it: `import type` (and, under the project's `verbatimModuleSyntax`, only that) is erased
 * before anything runs, so it ships and loads nothing. Asked to, the graph keeps them: as the
 * design goes, a module that needs another's types depends on it.
 */
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isBuiltin } from "node:module";
import path from "node:path";
import { build, type Plugin } from "esbuild";

export interface ImportEdge {
  /** The importing file, relative to the root, with forward slashes. */
  readonly from: string;
  /** A project file, relative to the root; or, for an external import, the specifier. */
  readonly to: string;
  readonly external: boolean;
}

/** The `.ts` files (not `.d.ts`) of `folders` under `root`, relative to it. */
export function sourceFilesOf(root: string, folders: readonly string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(path.join(root, folder), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
      .map((file) => path.posix.join(folder, file.split(path.sep).join("/"))),
  );
}

/** Makes `import type` and `export type ... from` plain, so that esbuild keeps them. */
const keepTypeImports: Plugin = {
  name: "keep-type-imports",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const contents = source
        .replace(/\bimport\s+type\s+(?=[{*\w$])/g, "import ")
        .replace(/\bexport\s+type\s+(?=(\{[^}]*\}|\*(\s+as\s+[\w$]+)?)\s+from\b)/g, "export ");
      return { contents, loader: "ts" };
    });
  },
};

/**
 * The imports of `files` and of every project file they reach (`tsconfig.json` of `root`): those
 * that run, or with `typeImports`, type-only ones too.
 */
export async function importGraphOf(
  root: string,
  files: readonly string[],
  { typeImports = false } = {},
): Promise<ImportEdge[]> {
  const { metafile } = await build({
    plugins: typeImports ? [keepTypeImports] : [],
    absWorkingDir: root,
    entryPoints: [...files],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    outdir: "out",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return Object.entries(metafile.inputs).flatMap(([from, input]) =>
    input.imports.map((edge) => ({ from, to: edge.path, external: edge.external === true })),
  );
}

/** `@scope/name` or `name` of a package specifier (`@scope/name/sub/path`, `name/sub`). */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return (specifier.startsWith("@") ? parts.slice(0, 2) : parts.slice(0, 1)).join("/");
}

/**
 * Why an import of shipped code (`handlers/`, `common/`) is not allowed, or undefined if it is:
 * shipped code imports shipped code, Node's built-ins and the production `dependencies`, except
 * the infrastructure's (cdktf, @cdktf/*, constructs). A devDependency, or a package that
 * package.json does not declare, is not in the deployed bundle's world.
 */
export function shippedImportProblem(
  edge: ImportEdge,
  dependencies: Readonly<Record<string, string>>,
): string | undefined {
  if (!edge.external) {
    return /^(handlers|common)\//.test(edge.to) ? undefined : "a file that does not ship";
  }
  if (isBuiltin(edge.to)) return undefined;
  const name = packageNameOf(edge.to);
  if (name === "cdktf" || name === "constructs" || name.startsWith("@cdktf/")) {
    return "infrastructure code";
  }
  return Object.hasOwn(dependencies, name) ? undefined : "not a production dependency";
}

/**
 * The import circles among project files: each group of files that reach one another through
 * their imports (a strongly connected component of more than one file, or a file importing
 * itself), sorted. Tarjan's algorithm.
 */
export function cyclesOf(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to, external } of edges) {
    if (!external) next.set(from, [...(next.get(from) ?? []), to]);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file) ?? 0);
    stack.push(file);
    onStack.add(file);
    for (const to of next.get(file) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || next.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of [...next.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""));
}
