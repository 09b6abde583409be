/**
 * `npm run load`: a mixed create/read/list/update/delete load with autocannon against the local
 * server, then a consistency check of the whole table through the API. Exits non-zero on any
 * answer API.md does not allow, any answer the workload did not expect, any request error, or any
 * difference between the table and the acknowledged writes.
 *
 *   npm run load                                60 s, 50 connections, a fresh `npm start`
 *   npm run load -- --duration 10               the short run of .ci/run
 *   npm run load -- --connections 100
 *   npm run load -- --url http://localhost:3000 a server already running (its items are left alone)
 *   npm run load -- --json bench-results/load.json   also write the figures as JSON
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { checkConsistency, walkList } from "./consistency.ts";
import { loadThrottle, type ServerProcess, startServerProcess } from "./server-process.ts";
import { createWorkload } from "./workload.ts";

const { values: flags } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    connections: { type: "string", default: "50" },
    url: { type: "string" },
    json: { type: "string" },
    "skip-build": { type: "boolean" },
  },
});
const duration = Number(flags.duration);
const connections = Number(flags.connections);
if (!(duration > 0 && connections > 0)) throw new Error("--duration and --connections must be > 0");

let server: ServerProcess | undefined;
let dataDir: string | undefined;
let url = flags.url?.replace(/\/$/, "");
if (url === undefined) {
  dataDir = await mkdtemp(path.join(tmpdir(), "items-api-load-"));
  server = await startServerProcess(dataDir, { build: !flags["skip-build"] });
  url = server.url;
}
const target = server ? `npm start (pid ${server.pid}, dynalite on disk in ${dataDir})` : url;
console.log(`items-api load: ${connections} connections for ${duration} s against ${target}`);
console.log(
  server
    ? `stage throttle ${loadThrottle.rateLimit} requests/s, burst ${loadThrottle.burstLimit} (set by the load test)`
    : "stage throttle: whatever the server at --url was started with (429s count as disallowed)",
);

/** The server's resident memory (MiB) and open file descriptors, where /proc tells (Linux). */
async function resourcesOf(pid: number | undefined) {
  if (pid === undefined) return undefined;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const rssKib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return {
      rssMiB: Math.round(rssKib / 1024),
      openFiles: (await readdir(`/proc/${pid}/fd`)).length,
    };
  } catch {
    return undefined;
  }
}

try {
  const preexisting = new Set((await walkList(url)).items.map((item) => item.id));
  const resourcesBefore = await resourcesOf(server?.pid);
  const { state, requests } = createWorkload();
  const result = await autocannon({ url, connections, duration, requests, timeout: 10 });
  // Let requests the server was still serving when autocannon stopped finish.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const consistency = await checkConsistency(
    url,
    state.ledger,
    state.unanswered.values(),
    preexisting,
  );
  const resourcesAfter = await resourcesOf(server?.pid);

  const created = state.ledger.size;
  const deleted = [...state.ledger.values()].filter((entry) => entry.deleted).length;
  const figures = {
    connections,
    durationSeconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: Object.fromEntries(
      [...state.statuses].map(([route, byStatus]) => [route, Object.fromEntries(byStatus)]),
    ),
    disallowed: state.disallowed,
    unexpected: state.unexpected,
    consistency: { ...consistency, created, deleted },
    server: { before: resourcesBefore, after: resourcesAfter },
  };
  const byStatus = new Map<number, number>();
  for (const counts of state.statuses.values()) {
    for (const [status, count] of counts) byStatus.set(status, (byStatus.get(status) ?? 0) + count);
  }
  const histogram = [...byStatus].sort(([a], [b]) => a - b);
  const ok =
    result.errors === 0 &&
    state.disallowed === 0 &&
    state.unexpected === 0 &&
    consistency.problems.length === 0;

  console.log(
    [
      `requests     ${figures.requests} in ${figures.durationSeconds} s (${figures.requestsPerSecond}/s)`,
      `latency      p50 ${figures.latencyMs.p50} ms, p90 ${figures.latencyMs.p90} ms, p99 ${figures.latencyMs.p99} ms, max ${figures.latencyMs.max} ms`,
      `errors       ${result.errors} (timeouts ${result.timeouts})`,
      `statuses     ${histogram.map(([status, count]) => `${status}: ${count}`).join(", ")}`,
      ...[...state.statuses].map(
        ([route, counts]) =>
          `  ${route.padEnd(13)}${[...counts].map(([status, count]) => `${status}: ${count}`).join(", ")}`,
      ),
      `disallowed   ${state.disallowed} answers outside API.md's statuses`,
      `unexpected   ${state.unexpected} answers the workload did not expect`,
      ...state.samples.map((sample) => `  ${sample}`),
      `consistency  list walk of ${consistency.pages} page(s): ${consistency.listed} items listed; ` +
        `${created} created - ${deleted} deleted = ${consistency.expected} expected; ` +
        `${consistency.unresolved} with a write in flight at the stop`,
      ...consistency.problems.slice(0, 20).map((problem) => `  ${problem}`),
      ...(resourcesBefore && resourcesAfter
        ? [
            `server       ${resourcesBefore.rssMiB} MiB and ${resourcesBefore.openFiles} open files before, ` +
              `${resourcesAfter.rssMiB} MiB and ${resourcesAfter.openFiles} after`,
          ]
        : []),
      ok
        ? "result       OK: every answer allowed and expected; the table holds exactly the acknowledged writes"
        : "result       FAILED",
    ].join("\n"),
  );
  if (flags.json) {
    await mkdir(path.dirname(flags.json), { recursive: true });
    await writeFile(flags.json, `${JSON.stringify(figures, null, 2)}\n`);
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  await server?.kill("SIGTERM");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}
