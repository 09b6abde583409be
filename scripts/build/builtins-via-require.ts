/**
 * An esbuild plugin that loads Node built-ins the CommonJS way. An ES `import ... from "node:os"`
 * makes Node build a module facade over every export of the built-in, which costs about 5 ms
 * at cold start for the eight built-ins the SDK imports (measured by `npm run bench`); the
 * same modules through `require` (the banner's, see scripts/build/build.ts) cost nothing extra.
 *
 * Each built-in becomes a small ES module: `export default` the built-in itself, and one named
 * export per property, each marked pure so that esbuild keeps only the names some module
 * imports. (A CommonJS stand-in would make esbuild wrap the built-in in `__toESM`, which copies
 * every property of it, once per importing module: about 1 ms of each cold start.) Same modules,
 * same objects: only the loading path changes.
 *
 * A named import reads its property at load. Where Node computes one on first read (`fs.ReadStream`
 * loads file streams, `fs.promises`, readline...), code that imports it must read it from the
 * default export instead, when it needs it (see the body-length swap in sdk-swaps.ts);
 * tests/api/bundles.test.ts checks that no cold start loads such modules.
 */
import { builtinModules, createRequire } from "node:module";
import type { Plugin } from "esbuild";

const builtins = new Set(builtinModules);
const namespace = "node-builtin";
const identifier = /^[A-Za-z_$][\w$]*$/;

/** The ES module standing in for built-in `id` (e.g. `node:crypto`). */
function moduleOf(id: string): string {
  const builtin = createRequire(import.meta.url)(id) as object;
  const names = Object.keys(Object.getOwnPropertyDescriptors(builtin)).filter(
    (name) => identifier.test(name) && name !== "default",
  );
  return [
    `const builtin = require(${JSON.stringify(id)});`,
    "export default builtin;",
    ...names.map((name) => `export const ${name} = /* @__PURE__ */ (() => builtin.${name})();`),
  ].join("\n");
}

export const builtinsViaRequire: Plugin = {
  name: "builtins-via-require",
  setup(build) {
    build.onResolve({ filter: /^[a-z_/:0-9]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, "");
      // A dynamic import stays one (esbuild leaves built-ins external): it runs, and pays for
      // its facade, only if that code path is ever taken.
      if (!builtins.has(name) || args.kind === "require-call" || args.kind === "dynamic-import")
        return undefined;
      return { path: `node:${name}`, namespace };
    });
    build.onLoad({ filter: /.*/, namespace }, (args) => ({
      contents: moduleOf(args.path),
      loader: "js",
    }));
  },
};
