/**
 * An esbuild plugin that loads Node built-ins the CommonJS way. An ES `import ... from "node:os"`
 * makes Node build a module facade over every export of the built-in, which costs about 5 ms
 * at cold start for the eight built-ins the SDK imports (measured by `npm run bench`); the
 * same modules through `require` (the banner's, see scripts/build.ts) cost nothing extra.
 * Same modules, same objects: only the loading path changes.
 */
import { builtinModules } from "node:module";
import type { Plugin } from "esbuild";

const builtins = new Set(builtinModules);
const namespace = "node-builtin";

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
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};
