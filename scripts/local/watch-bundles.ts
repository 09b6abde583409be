/**
 * `npm run dev`: keeps every bundle of the route table built with esbuild's watch mode, with the
 * same options as `npm run build`, and says which function changed so the server reloads it.
 */
import { type BuildResult, context } from "esbuild";
import { routes } from "../../common/routes.ts";
import { functionBuildOptions, functionDirOf } from "../build/build.ts";

/** Running watchers; `close()` stops them. */
export interface BundleWatcher {
  close(): Promise<void>;
}

/**
 * Builds every bundle once (rejecting if one fails), then rebuilds each on changes to its
 * sources and calls `onRebuilt` (a failed rebuild keeps the previous bundle and is only printed).
 * Bundles land in `dist/<name>/` unless `dirOf` says otherwise.
 */
export async function watchBundles(
  onRebuilt: (functionName: string) => void,
  dirOf: (functionName: string) => string = functionDirOf,
): Promise<BundleWatcher> {
  const firstBuilds: Promise<void>[] = [];
  const contexts = await Promise.all(
    routes.map((route) => {
      let settleFirst: (result: BuildResult) => void = () => {};
      firstBuilds.push(
        new Promise((resolve, reject) => {
          settleFirst = (result) =>
            result.errors.length === 0
              ? resolve()
              : reject(new Error(`could not build ${route.name}`));
        }),
      );
      let built = false;
      const options = functionBuildOptions(route, dirOf(route.name));
      return context({
        ...options,
        // The build's own plugins first: the bundles must be the ones `npm run build` makes.
        plugins: [
          ...(options.plugins ?? []),
          {
            name: "reload-local-function",
            setup(build) {
              build.onEnd((result) => {
                if (!built) settleFirst(result);
                else if (result.errors.length === 0) onRebuilt(route.name);
                built = true;
              });
            },
          },
        ],
      });
    }),
  );
  const close = async () => {
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
  };
  await Promise.all(contexts.map((ctx) => ctx.watch()));
  try {
    await Promise.all(firstBuilds);
  } catch (error) {
    await close();
    throw error;
  }
  return { close };
}
