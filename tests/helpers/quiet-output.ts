/**
 * Imported (for its effect) by the helpers that run handlers or a local server in the test's
 * process: what the code under test writes to stdout and stderr (the functions' JSON log lines,
 * SDK warnings) is kept instead of printed, and shown after a test that fails, so a passing run
 * prints ava's own report alone. `SHOW_TEST_OUTPUT=1` prints everything as it comes instead.
 * (Not an `ava.require` module: a hook declared there starts the run before a test file with a
 * top-level await has declared its tests.)
 */
import test from "ava";

const limitBytes = 4 * 1024 * 1024;
const kept: string[] = [];
let keptBytes = 0;
let dropped = 0;

function keep(text: string): void {
  kept.push(text);
  keptBytes += text.length;
  while (keptBytes > limitBytes && kept.length > 1) {
    keptBytes -= kept.shift()?.length ?? 0;
    dropped += 1;
  }
}

const stderrWrite = process.stderr.write.bind(process.stderr);

if (process.env.SHOW_TEST_OUTPUT !== "1") {
  for (const stream of [process.stdout, process.stderr]) {
    const decoder = new TextDecoder();
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      keep(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      if (callback) process.nextTick(callback);
      return true;
    }) as typeof stream.write;
  }
}

// Tests in a file run concurrently, so the output shown is everything written since the last
// failure's, whichever test wrote it.
test.afterEach.always((t) => {
  if (t.passed || kept.length === 0) return;
  const skipped = dropped > 0 ? ` (${dropped} earlier writes dropped)` : "";
  const title = t.title.replace(/^afterEach\.always hook for /, "");
  stderrWrite(`\n--- output before "${title}" failed${skipped} ---\n`);
  stderrWrite(kept.join(""));
  stderrWrite(`--- end of output ---\n`);
  kept.length = 0;
  keptBytes = 0;
  dropped = 0;
});
