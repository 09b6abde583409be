/**
 * Signed page tokens through the list handler, on a real DynamoDB-compatible server: only a
 * token this deployment made resumes a walk; a forged one, or one made under another key, is a
 * 400; and rows that another tool wrote under ids that are not KSUIDs are walked like any other.
 */
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import test from "ava";
import { pageTokensOf } from "../../common/page-token.ts";
import { assertProblem, createItem, type Exchange, send } from "../helpers/api.ts";
import {
  bodyOf,
  type HandlerHarness,
  loadHandlers,
  testPageTokenKey,
} from "../helpers/handlers.ts";

let h: HandlerHarness;
const created: string[] = [];
// What another tool could write: any string DynamoDB takes as a key.
const foreignIds = [
  "x",
  "hello world",
  "../../etc/passwd",
  "é 😀 中文",
  "line\nbreak",
  "zzzzzzzzzzzzzzzzzzzzzzzzzzz",
  "2zZyQ3nmbqxsHDjGJN1Ffpm4sbEE",
  "k".repeat(2048),
];

test.before(async () => {
  h = await loadHandlers();
  for (let i = 0; i < 4; i++) {
    created.push((await createItem(h.handlers, { name: `item ${i}`, description: "" })).id);
  }
  for (const id of foreignIds) {
    const row = {
      id,
      name: "foreign",
      description: "",
      createdAt: "x",
      updatedAt: "x",
      version: 1,
    };
    await h.db.client.send(new PutCommand({ TableName: h.tableName, Item: row }));
  }
});
test.after.always(async () => {
  await h?.db.stop();
});

const list = (query: Record<string, string>): Promise<Exchange> =>
  send(h.handlers, "list-items", { method: "GET", query });

interface Page {
  readonly items: { id: string }[];
  readonly lk: string | null;
}

test("a walk one item at a time meets every row once, non-KSUID ids included", async (t) => {
  const seen: string[] = [];
  let lk: string | null = null;
  do {
    const { response } = await list(lk === null ? { limit: "1" } : { limit: "1", lk });
    t.is(response.statusCode, 200, response.body);
    const page = bodyOf<Page>(response);
    seen.push(...page.items.map((item) => item.id));
    lk = page.lk;
  } while (lk !== null);
  t.deepEqual([...seen].sort(), [...created, ...foreignIds].sort());
});

test("a forged token, or one made under another key, answers 400", async (t) => {
  const [id] = created;
  const forgeries = {
    "another deployment's": pageTokensOf("the key of another stage, 32 chars+").encode(id ?? ""),
    "a guessed key's": pageTokensOf("items-api/lk".padEnd(32, "\0")).encode(id ?? ""),
  };
  for (const [whose, lk] of Object.entries(forgeries)) {
    const exchange = await list({ lk, limit: "2" });
    const problem = assertProblem(t, exchange, 400);
    t.deepEqual(
      problem,
      {
        type: "about:blank",
        title: "Bad Request",
        status: 400,
        detail: "The request query is invalid.",
        requestId: exchange.event.requestContext.requestId,
        errors: [{ path: "lk", message: "must be a token from a previous page, unaltered" }],
      },
      whose,
    );
    t.log(`${whose}: ${exchange.response.statusCode} ${exchange.response.body}`);
  }
  // The same id under this deployment's key is accepted: the key, not the id, was refused.
  const genuine = pageTokensOf(testPageTokenKey).encode(id ?? "");
  t.is((await list({ lk: genuine, limit: "2" })).response.statusCode, 200);
});
