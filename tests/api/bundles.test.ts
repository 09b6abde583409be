/**
 * The bundles that ship, run the way Lambda runs them: each function bundled with the build's own
 * options, outside the project (so nothing can come from node_modules), imported as an ES module
 * by a fresh `node` process with only Lambda-like environment variables, and handed a payload 2.0
 * event. This catches what source-level tests cannot: a "Dynamic require" crash, a missing
 * dependency, a configuration read at load. Two builds must also be byte-identical.
 *
 * The bundles are built into temporary folders, not `dist/`: other test files run the bundles in
 * `dist/` at the same time, and rewriting a file they are importing would break them.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import test from "ava";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { routes } from "../../common/routes.ts";
import { type BundleFile, buildFunctionInto } from "../../scripts/build/build.ts";
import {
  patientDynamoDbTimeoutMs,
  startTestDatabase,
  type TestDatabase,
} from "../helpers/dynalite.ts";
import { createEvent } from "../helpers/events.ts";
import type { FunctionName } from "../helpers/handlers.ts";
import { pythonJsonDumps } from "../helpers/json-encodings.ts";

const run = promisify(execFile);

// A module file, so the bundle is imported as ESM exactly as Lambda's runtime does.
const driver = `
import { pathToFileURL } from "node:url";
const [bundle, event] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const result = await handler(JSON.parse(event));
process.stdout.write("\\n@@result " + JSON.stringify(result) + "\\n");
`;

let db: TestDatabase;
let tableName: string;
let idempotencyTableName: string;
let workDir: string;
let rebuildDir: string;
const builds: Map<string, BundleFile[]>[] = [];

/**
 * Builds every function exactly as `npm run build` does, but into `outDir/<name>/`; maps each to
 * its files (index.mjs and any chunk).
 */
async function buildInto(outDir: string): Promise<Map<string, BundleFile[]>> {
  const entries = await Promise.all(
    routes.map(
      async (route) =>
        [route.name, await buildFunctionInto(route, path.join(outDir, route.name))] as const,
    ),
  );
  return new Map(entries);
}

/** One hash per function over all its files, names included. */
function hashesOf(build: Map<string, BundleFile[]> | undefined): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const [name, files] of build ?? []) {
    const hash = createHash("sha256");
    for (const file of files) hash.update(`${file.name}\0`).update(file.content);
    hashes.set(name, hash.digest("hex"));
  }
  return hashes;
}

test.before(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "items-api-bundles-"));
  rebuildDir = await mkdtemp(path.join(tmpdir(), "items-api-rebuild-"));
  builds.push(await buildInto(workDir));
  builds.push(await buildInto(rebuildDir));
  await writeFile(path.join(workDir, "driver.mjs"), driver);
  db = await startTestDatabase();
  tableName = await db.createItemsTable();
  idempotencyTableName = await db.createIdempotencyTable();
});
test.after.always(async () => {
  await db?.stop();
  for (const dir of [workDir, rebuildDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** What Lambda gives a function: its region, credentials, and what the stack configures. */
function lambdaEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: "items-api-test",
    PAGE_TOKEN_KEY: "page-token key of the bundle tests",
    // These tests are not about a slow database: a busy machine must not turn into 503s.
    DYNAMODB_TIMEOUT_MS: String(patientDynamoDbTimeoutMs),
    ...extra,
  };
}

interface Invocation {
  readonly result: { statusCode: number; headers: Record<string, string>; body?: string };
  readonly logs: Record<string, unknown>[];
}

/** Invokes one bundle with one event in a fresh node process (`env` overrides the tables). */
async function invoke(
  name: FunctionName,
  event: APIGatewayProxyEventV2,
  env: Record<string, string> = {},
): Promise<Invocation> {
  const { stdout } = await run(
    process.execPath,
    ["driver.mjs", path.join(workDir, name, "index.mjs"), JSON.stringify(event)],
    {
      cwd: workDir,
      env: lambdaEnvironment({
        TABLE_NAME: tableName,
        IDEMPOTENCY_TABLE_NAME: idempotencyTableName,
        ...env,
      }),
      timeout: 20_000,
    },
  );
  const lines = stdout.split("\n");
  const marked = lines.find((line) => line.startsWith("@@result "));
  if (!marked) throw new Error(`no result from ${name}:\n${stdout}`);
  return {
    result: JSON.parse(marked.slice("@@result ".length)) as Invocation["result"],
    logs: lines.filter((line) => line.startsWith("{")).map((line) => JSON.parse(line)),
  };
}

test("only create-item has a chunk loaded on demand, and Powertools' idempotency is in it alone", (t) => {
  for (const route of routes) {
    const files = builds[0]?.get(route.name) ?? [];
    const powertoolsIn = files.filter((file) =>
      new TextDecoder().decode(file.content).includes("IdempotencyAlreadyInProgressError"),
    );
    const onDemand = files.filter((file) => !file.loadedAtInit);
    if (route.name === "create-item") {
      t.is(onDemand.length, 1);
      t.deepEqual(powertoolsIn, onDemand);
    } else {
      t.deepEqual(onDemand, [], route.name);
      t.deepEqual(powertoolsIn, [], route.name);
    }
  }
});

test("a cold start loads neither Node's file streams nor Web Crypto, which no request needs", async (t) => {
  for (const route of routes) {
    const bundle = pathToFileURL(path.join(workDir, route.name, "index.mjs")).href;
    const { stdout } = await run(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const before = new Set(process.moduleLoadList); await import(${JSON.stringify(bundle)});
        console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m))));`,
      ],
      {
        env: lambdaEnvironment({
          TABLE_NAME: tableName,
          IDEMPOTENCY_TABLE_NAME: idempotencyTableName,
        }),
      },
    );
    const loaded = JSON.parse(stdout) as string[];
    t.true(loaded.includes("NativeModule https"), route.name); // the list is the real one
    t.deepEqual(
      loaded.filter((name) => /internal\/fs\/streams|internal\/crypto\/webcrypto/.test(name)),
      [],
      route.name,
    );
  }
});

test("two consecutive builds, into different folders, produce byte-identical bundles", (t) => {
  const [first, second] = builds.map(hashesOf);
  t.is(first?.size, routes.length);
  t.deepEqual(second, first);
});

test("the bundles create, read, list, update and delete an item end to end", async (t) => {
  const createEventOf = createEvent({
    method: "POST",
    json: { name: " bundled 🧳 ", description: "through\nthe bundle" },
  });
  const created = await invoke("create-item", createEventOf);
  t.is(created.result.statusCode, 201, created.result.body);
  const item = JSON.parse(created.result.body ?? "{}") as { id: string; version: number };
  t.like(item, { name: "bundled 🧳", description: "through\nthe bundle", version: 1 });
  t.is(created.result.headers.location, `/${item.id}`);
  t.is(created.result.headers.etag, '"1"');
  t.is(created.result.headers["x-request-id"], createEventOf.requestContext.requestId);
  t.like(created.logs.at(-1), {
    requestId: createEventOf.requestContext.requestId,
    status: 201,
    function: "items-api-test",
  });

  const read = await invoke("get-item", createEvent({ method: "GET", id: item.id }));
  t.is(read.result.statusCode, 200);
  t.deepEqual(JSON.parse(read.result.body ?? "{}"), item);

  const listed = await invoke("list-items", createEvent({ method: "GET", query: { limit: "10" } }));
  t.is(listed.result.statusCode, 200);
  t.deepEqual(JSON.parse(listed.result.body ?? "{}"), { items: [item], lk: null });

  const updated = await invoke(
    "update-item",
    createEvent({
      method: "PUT",
      id: item.id,
      // API Gateway delivers some bodies base64-encoded; a charset naming UTF-8 is fine.
      headers: { "if-match": '"1"', "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ name: "renamed", description: "" }),
      base64: true,
    }),
  );
  t.is(updated.result.statusCode, 200, updated.result.body);
  t.like(JSON.parse(updated.result.body ?? "{}"), { name: "renamed", version: 2 });
  t.is(updated.result.headers.etag, '"2"');

  const stale = await invoke(
    "update-item",
    createEvent({
      method: "PUT",
      id: item.id,
      headers: { "if-match": '"1"' },
      json: { name: "x", description: "" },
    }),
  );
  t.is(stale.result.statusCode, 412);

  const notModified = await invoke(
    "get-item",
    createEvent({ method: "GET", id: item.id, headers: { "if-none-match": '"2"' } }),
  );
  t.is(notModified.result.statusCode, 304);
  t.falsy(notModified.result.body);

  const deleted = await invoke("delete-item", createEvent({ method: "DELETE", id: item.id }));
  t.is(deleted.result.statusCode, 204);
  t.falsy(deleted.result.body);

  const gone = await invoke("get-item", createEvent({ method: "GET", id: item.id }));
  t.is(gone.result.statusCode, 404);
  t.is(gone.result.headers["content-type"], "application/problem+json");
});

test("the bundles take the largest item as Python's json.dumps sends it (ASCII escapes)", async (t) => {
  const largest = { name: "😀".repeat(200), description: "😀".repeat(2_000) };
  const body = pythonJsonDumps(largest);
  t.is(Buffer.byteLength(body), 26_431);
  const headers = { "content-type": "application/json" };
  // A table of its own: the end-to-end test lists the shared one.
  const env = { TABLE_NAME: await db.createItemsTable() };
  const created = await invoke("create-item", createEvent({ method: "POST", headers, body }), env);
  t.is(created.result.statusCode, 201, created.result.body);
  const item = JSON.parse(created.result.body ?? "{}") as { id: string };
  t.like(item, largest);
  const updated = await invoke(
    "update-item",
    createEvent({
      method: "PUT",
      id: item.id,
      headers,
      body: pythonJsonDumps({ ...largest, name: "🦄".repeat(200) }),
    }),
    env,
  );
  t.is(updated.result.statusCode, 200, updated.result.body);
  t.like(JSON.parse(updated.result.body ?? "{}"), { name: "🦄".repeat(200), version: 2 });
});

test("each bundle answers its refusals as problem+json", async (t) => {
  const refusals: [FunctionName, APIGatewayProxyEventV2, number][] = [
    [
      "create-item",
      createEvent({ method: "POST", body: "{}", headers: { "content-type": "text/plain" } }),
      415,
    ],
    ["list-items", createEvent({ method: "GET", query: { lk: "tampered" } }), 400],
    ["get-item", createEvent({ method: "GET", id: "not-a-ksuid" }), 404],
    [
      "update-item",
      createEvent({ method: "PUT", id: "2Ec9mxJuGF8KSzGnBcCnwvYq1qE", json: { x: 1 } }),
      400,
    ],
    ["delete-item", createEvent({ method: "DELETE", id: "2Ec9mxJuGF8KSzGnBcCnwvYq1qE" }), 404],
  ];
  await Promise.all(
    refusals.map(async ([name, event, status]) => {
      const { result } = await invoke(name, event);
      t.is(result.statusCode, status, `${name}: ${result.body}`);
      t.is(result.headers["content-type"], "application/problem+json");
      t.like(JSON.parse(result.body ?? "{}"), {
        status,
        requestId: event.requestContext.requestId,
      });
    }),
  );
});

const failsWithoutTableName = test.macro({
  async exec(t, name: FunctionName) {
    const error = await t.throwsAsync(
      run(process.execPath, ["driver.mjs", path.join(workDir, name, "index.mjs"), "{}"], {
        cwd: workDir,
        env: lambdaEnvironment(),
        timeout: 20_000,
      }),
    );
    const { code, stderr } = error as Error & { code?: number; stderr?: string };
    t.not(code, 0);
    t.regex(stderr ?? "", /TABLE_NAME is not set/);
    // The error a dynamic require would throw (Node prints the source line, which may hold the shim).
    t.notRegex(stderr ?? "", /Error: Dynamic require/);
  },
  title: (_providedTitle, name: FunctionName) =>
    `${name} fails at load with a message naming TABLE_NAME when it is not set`,
});
for (const { name } of routes) test(failsWithoutTableName, name);

test("the create-item bundle replays an Idempotency-Key's answer and creates one item", async (t) => {
  // A table of its own: the end-to-end test above lists the shared one.
  const env = { TABLE_NAME: await db.createItemsTable() };
  const headers = { "idempotency-key": `bundle-${Date.now()}` };
  const json = { name: "once", description: "through the bundle" };
  const first = await invoke("create-item", createEvent({ method: "POST", headers, json }), env);
  const again = createEvent({ method: "POST", headers, json });
  const replay = await invoke("create-item", again, env);
  t.is(first.result.statusCode, 201, first.result.body);
  t.is(replay.result.statusCode, 201, replay.result.body);
  t.is(replay.result.body, first.result.body);
  t.is(replay.result.headers["idempotent-replayed"], "true");
  t.is(first.result.headers["idempotent-replayed"], undefined);
  t.is(replay.result.headers["x-request-id"], again.requestContext.requestId);
  const changed = await invoke(
    "create-item",
    createEvent({ method: "POST", headers, json: { ...json, name: "twice" } }),
    env,
  );
  t.is(changed.result.statusCode, 422, changed.result.body);
  const listed = await invoke("list-items", createEvent({ method: "GET" }), env);
  t.is(JSON.parse(listed.result.body ?? "{}").items.length, 1);
});

const onlyOneNeeds = test.macro({
  async exec(t, variable: string, needer: FunctionName) {
    const env = lambdaEnvironment({ TABLE_NAME: tableName, IDEMPOTENCY_TABLE_NAME: "x" });
    delete env[variable];
    const load = (name: FunctionName) =>
      run(process.execPath, ["driver.mjs", path.join(workDir, name, "index.mjs"), "{}"], {
        cwd: workDir,
        env,
        timeout: 20_000,
      });
    const error = await t.throwsAsync(load(needer));
    t.regex(
      (error as Error & { stderr?: string }).stderr ?? "",
      new RegExp(`${variable} is not set`),
    );
    for (const { name } of routes.filter((route) => route.name !== needer)) {
      await t.notThrowsAsync(load(name), name);
    }
  },
  title: (_providedTitle, variable: string, needer: FunctionName) =>
    `only the ${needer} bundle needs ${variable}, and fails at load naming it`,
});
test(onlyOneNeeds, "IDEMPOTENCY_TABLE_NAME", "create-item");
test(onlyOneNeeds, "PAGE_TOKEN_KEY", "list-items");
