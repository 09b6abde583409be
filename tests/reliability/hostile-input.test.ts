/**
 * Hostile input over real HTTP, through the local gateway: every case of the table is refused
 * with a 4xx (never a 5xx), as problem+json from the function or as API Gateway's own answer
 * where the request never reaches one, shows no stack trace or internal name, and leaves the
 * table exactly as it was.
 */
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import test, { type ExecutionContext } from "ava";
import type { Item } from "../../common/items-table.ts";
import { routes } from "../../common/routes.ts";
import {
  type Expectation,
  type HostileCase,
  type HostileContext,
  hostileCases,
} from "../helpers/hostile-requests.ts";
import { type LocalApi, snapshotTable, startLocalApi } from "../helpers/local-api.ts";
import { type RawResponse, requestBytes, sendRaw, sendRequest } from "../helpers/raw-http.ts";

let api: LocalApi;
let ctx: HostileContext;
let initial: Record<string, unknown>[];

test.before(async () => {
  api = await startLocalApi();
  const created: Item[] = [];
  for (const name of ["first", "second", "third"]) {
    const response = await sendRequest(api.url, {
      method: "POST",
      target: "/",
      headers: [["Content-Type", "application/json"]],
      body: JSON.stringify({ name, description: `the ${name} item` }),
    });
    created.push(JSON.parse(response.body.toString()) as Item);
  }
  const page = await sendRequest(api.url, { method: "GET", target: "/?limit=1" });
  const token = (JSON.parse(page.body.toString()) as { lk: string }).lk;
  ctx = { itemId: created[0]?.id ?? "", token };
  initial = await snapshotTable(api.db, api.tableName);
});

test.after.always(async () => {
  await api?.close();
});

const problemFields = new Set(["type", "title", "status", "detail", "requestId", "errors"]);
const gatewayMessages = { 404: "Not Found", 413: "Request Entity Too Large" } as const;

/** What must never appear in an answer: stack frames, SDK and library names, our internals. */
function leaksIn(text: string): string[] {
  const internals = [
    api.tableName,
    api.dynamoDbEndpoint ?? "",
    ...routes.map((route) => route.name),
    ...routes.map((route) => route.entry),
  ].filter((name) => name !== "");
  const patterns = [
    // A stack frame: `at fn (file:///x.mjs:1:2)`, `at /x.js:1:2`, `at node:internal/...:1:2`.
    /\bat (?:\S+ )?\(?(?:file:|\/|node:)\S*:\d+:\d+/,
    /\.(?:ts|mjs|js):\d+/,
    /Exception|TypeError|SyntaxError|RangeError|StructError/,
    /node_modules|superstruct|dynalite|ksuid|aws-sdk|arn:aws/i,
  ];
  return [
    ...patterns.filter((pattern) => pattern.test(text)).map(String),
    ...internals.filter((name) => text.includes(name)),
  ];
}

function assertAnswer(t: ExecutionContext, response: RawResponse, expect: Expectation): void {
  const text = response.body.toString("utf8");
  const head = JSON.stringify(response.headers);
  t.true(response.status >= 400 && response.status < 500, `a 4xx, got ${response.status}: ${text}`);
  t.is(response.status, expect.status, text);
  t.deepEqual(leaksIn(text), [], "no stack trace or internal name in the body");
  t.deepEqual(leaksIn(head), [], "no stack trace or internal name in the headers");
  const contentType = response.headers["content-type"]?.[0];
  if (expect.kind === "problem") {
    t.is(contentType, "application/problem+json");
    const body = JSON.parse(text) as Record<string, unknown>;
    t.deepEqual(
      Object.keys(body).filter((key) => !problemFields.has(key)),
      [],
      "RFC 9457 fields only",
    );
    t.like(body, { type: "about:blank", status: expect.status });
    t.true(typeof body.title === "string" && body.title.length > 0);
    t.true(typeof body.detail === "string" && body.detail.length > 0);
    t.is(body.requestId, response.headers["x-request-id"]?.[0], "the request id is the header's");
    if (expect.fields) {
      const paths = ((body.errors ?? []) as { path: string }[]).map((error) => error.path);
      t.deepEqual([...paths].sort(), [...expect.fields].sort(), "every invalid field, once");
    }
  } else if (expect.kind === "gateway") {
    t.is(contentType, "application/json");
    t.deepEqual(JSON.parse(text), { message: gatewayMessages[expect.status] });
    t.is(response.headers["x-request-id"], undefined, "no function ran");
  } else {
    t.is(response.headers["x-request-id"], undefined, "no function ran");
  }
}

/** Puts the table back as it was, so a case that wrote something cannot spoil the others. */
async function restore(before: Record<string, unknown>[]): Promise<void> {
  const after = await snapshotTable(api.db, api.tableName);
  const kept = new Map(before.map((row) => [row.id, row]));
  for (const row of after) {
    const original = kept.get(row.id);
    if (!original) {
      await api.db.send(new DeleteCommand({ TableName: api.tableName, Key: { id: row.id } }));
    } else if (JSON.stringify(original) !== JSON.stringify(row)) {
      await api.db.send(new PutCommand({ TableName: api.tableName, Item: original }));
    }
  }
}

const refuses = test.macro({
  async exec(t, hostile: HostileCase) {
    const before = await snapshotTable(api.db, api.tableName);
    const request = hostile.request(ctx);
    const bytes =
      typeof request === "string" ? Buffer.from(request, "latin1") : requestBytes(api.url, request);
    const response = await sendRaw(api.url, bytes);
    try {
      assertAnswer(t, response, hostile.expect);
      t.deepEqual(await snapshotTable(api.db, api.tableName), before, "the table is unchanged");
    } finally {
      await restore(before);
    }
  },
  title: (_ = "", hostile: HostileCase) => {
    const { kind, status } = hostile.expect;
    const answer = {
      problem: `${status} problem+json`,
      gateway: `API Gateway's own ${status}`,
      http: `the HTTP layer's ${status}`,
    }[kind];
    return `answers ${answer} and changes nothing for ${hostile.title}`;
  },
});

test.serial("the table holds more than 100 hostile cases", (t) => {
  t.true(hostileCases.length >= 100, `${hostileCases.length} cases`);
  t.log(`${hostileCases.length} hostile cases`);
});

for (const hostile of hostileCases) {
  test.serial(refuses, hostile);
}

test.serial("leaves the table exactly as it was and keeps serving", async (t) => {
  t.deepEqual(await snapshotTable(api.db, api.tableName), initial);
  const response = await sendRequest(api.url, { method: "GET", target: "/" });
  t.is(response.status, 200);
  t.is((JSON.parse(response.body.toString()) as { items: unknown[] }).items.length, 3);
});
