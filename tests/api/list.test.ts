/**
 * `GET /`: pages, the `lk` token and the `Link` header. This file's table holds only the items its
 * serial tests create, so each walk knows exactly which items it must find.
 */
import test, { type ExecutionContext } from "ava";
import type { Item } from "../../common/items-table.ts";
import { assertProblem, createItem, type Exchange, fieldErrorsOf, send } from "../helpers/api.ts";
import { bodyOf, type HandlerHarness, loadHandlers } from "../helpers/handlers.ts";

let h: HandlerHarness;
test.before(async () => {
  h = await loadHandlers();
});
test.after.always(async () => {
  await h?.db.stop();
});

/** Every item this file has created and not deleted, by id. */
const existing = new Map<string, Item>();

async function growTo(count: number): Promise<void> {
  while (existing.size < count) {
    const batch = Math.min(20, count - existing.size);
    const items = await Promise.all(
      Array.from({ length: batch }, (_, i) =>
        createItem(h.handlers, { name: `item ${existing.size + i}`, description: "🧾" }),
      ),
    );
    for (const item of items) existing.set(item.id, item);
  }
}

interface Page {
  readonly items: Item[];
  readonly lk: string | null;
}

function list(query: Record<string, string> = {}): Promise<Exchange> {
  return send(h.handlers, "list-items", {
    method: "GET",
    ...(Object.keys(query).length > 0 ? { query } : {}),
  });
}

const linkFormat = /^<([^>]*)>; rel="next"$/;

/** Checks one page's answer and returns it with the query of its `Link` (when there is one). */
function checkPage(
  t: ExecutionContext,
  { event, response }: Exchange,
  limit: number,
): { page: Page; next: Record<string, string> | undefined } {
  t.is(response.statusCode, 200, response.body);
  t.is(response.headers?.["content-type"], "application/json");
  t.is(response.headers?.["x-request-id"], event.requestContext.requestId);
  const page = bodyOf<Page>(response);
  t.deepEqual(Object.keys(page).sort(), ["items", "lk"]);
  t.true(Array.isArray(page.items));
  t.true(page.items.length <= limit, `at most ${limit} items`);
  const link = response.headers?.link;
  if (page.lk === null) {
    t.is(link, undefined, "no Link on the last page");
    return { page, next: undefined };
  }
  t.is(typeof page.lk, "string");
  t.is(encodeURIComponent(page.lk), page.lk, "lk is URL-safe");
  t.true(page.items.length > 0, "a page with a next page is not empty");
  const target = linkFormat.exec(link ?? "")?.[1];
  t.truthy(target, `Link: ${link}`);
  const url = new URL(target ?? "", "https://example.com");
  t.is(url.pathname, "/");
  t.deepEqual([...url.searchParams.keys()], ["lk", "limit"]);
  t.is(url.searchParams.get("lk"), page.lk, "the Link carries lk as is");
  t.is(url.searchParams.get("limit"), String(limit));
  return { page, next: Object.fromEntries(url.searchParams) };
}

/** Walks from the first page to `lk: null` by following each `Link`; returns the pages. */
async function walk(t: ExecutionContext, limit: number | undefined): Promise<Page[]> {
  const effective = limit ?? 20;
  const pages: Page[] = [];
  let query: Record<string, string> | undefined =
    limit === undefined ? {} : { limit: String(limit) };
  while (query) {
    if (pages.length > 1_000) throw new Error("the walk does not end");
    const { page, next } = checkPage(t, await list(query), effective);
    pages.push(page);
    query = next;
  }
  return pages;
}

const walksEveryItemOnce = test.macro({
  async exec(t, count: number, limits: readonly (number | undefined)[]) {
    await growTo(count);
    t.is(existing.size, count);
    for (const limit of limits) {
      const pages = await walk(t, limit);
      const seen = pages.flatMap((page) => page.items);
      t.is(seen.length, count, `limit ${limit}: every item exactly once`);
      t.is(new Set(seen.map((item) => item.id)).size, count, `limit ${limit}: no duplicates`);
      for (const item of seen) t.deepEqual(item, existing.get(item.id));
      const last = pages.at(-1);
      t.is(last?.lk, null);
      if (count > 0)
        t.true((last?.items.length ?? 0) > 0, `limit ${limit}: the last page is not empty`);
      const effective = limit ?? 20;
      t.is(
        pages.length,
        Math.max(1, Math.ceil(count / effective)),
        `limit ${limit}: no extra page`,
      );
      t.is(pages[0]?.items.length, Math.min(count, effective), `limit ${limit}: a full first page`);
    }
  },
  title: (_providedTitle, count: number, limits: readonly (number | undefined)[]) =>
    `walks ${count} items page by page, each exactly once, with limits ${limits.map((l) => l ?? "default").join(", ")}`,
});

test.serial("answers { items: [], lk: null } with no Link when the table is empty", async (t) => {
  const exchange = await list();
  const { page } = checkPage(t, exchange, 20);
  t.deepEqual(page, { items: [], lk: null });
  t.is(exchange.response.headers?.link, undefined);
});
test.serial(walksEveryItemOnce, 0, [1, 100, undefined]);
test.serial(walksEveryItemOnce, 1, [1, 2, 100, undefined]);
test.serial(walksEveryItemOnce, 3, [1, 2, 3, 4]);
test.serial(walksEveryItemOnce, 20, [1, 2, 5, 10, 19, 20, 21, undefined]);
test.serial(walksEveryItemOnce, 21, [1, 7, 20, 21, 100, undefined]);
test.serial(walksEveryItemOnce, 40, [2, 3, 8, 10, 20, 39, 40, undefined]);
test.serial(walksEveryItemOnce, 100, [1, 4, 25, 50, 99, 100, undefined]);
test.serial(walksEveryItemOnce, 101, [3, 50, 100, undefined]);

test.serial("answers 20 items by default, and 100 with limit=100", async (t) => {
  const { page: byDefault } = checkPage(t, await list(), 20);
  t.is(byDefault.items.length, 20);
  const { page: largest } = checkPage(t, await list({ limit: "100" }), 100);
  t.is(largest.items.length, 100);
  t.not(largest.lk, null);
});

test.serial(
  "keeps one order for a given table: the same walk twice gives the same pages",
  async (t) => {
    const first = await walk(t, 7);
    const second = await walk(t, 7);
    t.deepEqual(second, first);
  },
);

test.serial("a token works with another limit than the one that made it", async (t) => {
  const { page } = checkPage(t, await list({ limit: "5" }), 5);
  const { page: next } = checkPage(t, await list({ lk: page.lk ?? "", limit: "50" }), 50);
  t.is(next.items.length, 50);
  t.false(next.items.some((item) => page.items.some((seen) => seen.id === item.id)));
});

// Token and query refusals: 400 problem+json naming the parameter, never 500.
const rejectsQuery = test.macro({
  async exec(t, query: (token: string) => Record<string, string>, paths: readonly string[]) {
    const { page } = checkPage(t, await list({ limit: "3" }), 3);
    if (page.lk === null) throw new Error("the table should have more than 3 items");
    const problem = assertProblem(t, await list(query(page.lk)), 400, [h.tableName]);
    t.deepEqual([...fieldErrorsOf(problem).keys()].sort(), [...paths].sort());
  },
  title: (providedTitle = "") => `answers 400 when ${providedTitle}`,
});

for (const limit of [
  "0",
  "101",
  "-1",
  "1.5",
  "abc",
  "",
  "1,2",
  " 5",
  "5 ",
  "+5",
  "1e2",
  "0x10",
  "1000",
  "99999999999999999999",
  "010",
  "01",
  "00",
  "Infinity",
  "NaN",
  "٥",
]) {
  test(`limit is "${limit}"`, rejectsQuery, () => ({ limit }), ["limit"]);
}

const flipAt = (token: string, index: number) =>
  token.slice(0, index) + (token[index] === "A" ? "B" : "A") + token.slice(index + 1);
for (const [label, alter] of [
  ["its first character is changed", (lk: string) => flipAt(lk, 0)],
  ["a character in its middle is changed", (lk: string) => flipAt(lk, Math.floor(lk.length / 2))],
  ["its last character is changed", (lk: string) => flipAt(lk, lk.length - 1)],
  [
    "every character is changed",
    (lk: string) => [...lk].map((_, i) => (lk[i] === "A" ? "B" : "A")).join(""),
  ],
  ["it is truncated by one character", (lk: string) => lk.slice(0, -1)],
  ["it is truncated by four characters", (lk: string) => lk.slice(0, -4)],
  ["it is cut in half", (lk: string) => lk.slice(0, lk.length / 2)],
  ["it is extended by one character", (lk: string) => `${lk}A`],
  ["it is extended by four characters", (lk: string) => `${lk}AAAA`],
  ["it is padded with =", (lk: string) => `${lk}=`],
  ["it is doubled", (lk: string) => lk + lk],
  ["it is upper-cased", (lk: string) => lk.toUpperCase()],
  ["it is lower-cased", (lk: string) => lk.toLowerCase()],
  ["it is surrounded by spaces", (lk: string) => ` ${lk} `],
  ["it is spelled in standard base64 (+ and /)", (lk: string) => `${lk.slice(0, -2)}+/`],
  ["it is percent-encoded twice over", (lk: string) => encodeURIComponent(`${lk.slice(0, -1)}%`)],
  ["it is empty", () => ""],
  ["it is the word null", () => "null"],
  ["it is an item id, not a token", () => [...existing.keys()][0] ?? ""],
  [
    "it is an item id, base64url-encoded",
    () => Buffer.from([...existing.keys()][0] ?? "").toString("base64url"),
  ],
  ["it is 48 random URL-safe characters", () => "q".repeat(48)],
  ["it holds non-ASCII characters", (lk: string) => `${lk.slice(0, -1)}é`],
  ["it holds a NUL", (lk: string) => `${lk.slice(0, -1)}\u0000`],
] as const) {
  test(`the lk token ${label}`, rejectsQuery, (lk) => ({ lk: alter(lk), limit: "3" }), ["lk"]);
}
const base64url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

test("every one-character change to a token answers 400, never 500", async (t) => {
  const { page } = checkPage(t, await list({ limit: "3" }), 3);
  const lk = page.lk ?? "";
  const unexpected: string[] = [];
  for (let i = 0; i < lk.length; i++) {
    // The neighbours in the alphabet change the fewest bits: the most plausible corruption.
    const value = base64url.indexOf(lk[i] ?? "");
    for (const step of [1, 63]) {
      const altered = lk.slice(0, i) + base64url[(value + step) % 64] + lk.slice(i + 1);
      const { response } = await list({ lk: altered, limit: "3" });
      if (response.statusCode !== 400) unexpected.push(`${altered} → ${response.statusCode}`);
    }
  }
  t.deepEqual(unexpected, []);
});

test(
  "both limit and lk are invalid (both listed)",
  rejectsQuery,
  (lk) => ({ lk: lk.slice(1), limit: "0" }),
  ["limit", "lk"],
);

// Last, as it changes the table: items deleted or added during a walk.
test.serial(
  "a walk during which items are deleted or added still yields every item that existed throughout, once",
  async (t) => {
    const before = new Set(existing.keys());
    const deleted = new Set<string>();
    const added = new Set<string>();
    const seen: string[] = [];
    let query: Record<string, string> | undefined = { limit: "6" };
    while (query) {
      const { page, next } = checkPage(t, await list(query), 6);
      seen.push(...page.items.map((item) => item.id));
      if (next) {
        // Delete the very item the token resumes after, and one not seen yet (if any is left).
        const resumeAfter = page.items.at(-1)?.id ?? "";
        const unseen = [...existing.keys()].find((id) => !seen.includes(id) && !deleted.has(id));
        for (const id of [resumeAfter, unseen]) {
          if (id === undefined || deleted.has(id)) continue;
          const { response } = await send(h.handlers, "delete-item", { method: "DELETE", id });
          t.is(response.statusCode, 204);
          deleted.add(id);
          existing.delete(id);
        }
        const item = await createItem(h.handlers, { name: "added mid-walk", description: "" });
        added.add(item.id);
        existing.set(item.id, item);
      }
      query = next;
    }
    t.is(new Set(seen).size, seen.length, "no item twice");
    const throughout = [...before].filter((id) => !deleted.has(id));
    t.true(throughout.length > 50);
    const seenSet = new Set(seen);
    t.deepEqual(
      throughout.filter((id) => !seenSet.has(id)),
      [],
      "every item that existed throughout",
    );
    for (const id of seen) t.true(before.has(id) || added.has(id));
  },
);
