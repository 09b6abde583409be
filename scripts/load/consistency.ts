/**
 * The check after a load run: a full list walk, through the API, must find exactly the items the
 * clients were told exist (created minus deleted), none twice, each at the version its last
 * acknowledged update gave it. A write still unanswered when the run stopped may have landed or
 * not; it is allowed either way and counted apart.
 */
import type { LedgerEntry, Unanswered } from "./ledger.ts";

interface ListedItem {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly version: number;
}

export interface ConsistencyReport {
  readonly pages: number;
  readonly listed: number;
  readonly expected: number;
  /** Items whose unanswered write landed (or not): allowed either way. */
  readonly unresolved: number;
  /** Everything that breaks the promise; empty when consistent. */
  readonly problems: readonly string[];
}

/** Walks `GET /` from the first page to `lk: null`. */
export async function walkList(
  url: string,
  limit = 100,
): Promise<{ items: ListedItem[]; pages: number }> {
  const items: ListedItem[] = [];
  let pages = 0;
  let lk: string | null = null;
  do {
    const query = lk === null ? `limit=${limit}` : `limit=${limit}&lk=${lk}`;
    const response = await fetch(`${url}/?${query}`);
    if (response.status !== 200)
      throw new Error(`list page ${pages + 1} answered ${response.status}`);
    const page = (await response.json()) as { items: ListedItem[]; lk: string | null };
    if (page.lk !== null && page.items.length === 0)
      throw new Error("an empty page with a next token");
    items.push(...page.items);
    pages++;
    lk = page.lk;
  } while (lk !== null);
  return { items, pages };
}

/** Compares a list walk with the ledger of acknowledged writes. */
export async function checkConsistency(
  url: string,
  ledger: ReadonlyMap<string, LedgerEntry>,
  unanswered: Iterable<Unanswered>,
  preexisting: ReadonlySet<string> = new Set(),
): Promise<ConsistencyReport> {
  const { items, pages } = await walkList(url);
  const problems: string[] = [];
  const pendingCreates = new Set<string>();
  const pendingWrites = new Map<string, Unanswered["kind"]>();
  for (const write of unanswered) {
    if (write.kind === "create") pendingCreates.add(write.key);
    else pendingWrites.set(write.key, write.kind);
  }
  const seen = new Map<string, ListedItem>();
  let unresolved = 0;
  for (const item of items) {
    if (seen.has(item.id)) problems.push(`${item.id} listed twice`);
    seen.set(item.id, item);
    const entry = ledger.get(item.id);
    if (preexisting.has(item.id)) continue;
    if (!entry) {
      if (pendingCreates.has(item.name)) unresolved++;
      else problems.push(`${item.id} (${item.name}) exists, but no create of it was acknowledged`);
      continue;
    }
    const pending = pendingWrites.get(item.id);
    if (entry.deleted) {
      problems.push(`${item.id} exists, but its delete was acknowledged`);
    } else if (item.version === entry.version && item.description === entry.description) {
      // as acknowledged
    } else if (pending === "update" && item.version === entry.version + 1) {
      unresolved++;
    } else {
      problems.push(
        `${item.id} is at v${item.version} "${item.description}", acknowledged v${entry.version} "${entry.description}"`,
      );
    }
  }
  let expected = 0;
  for (const entry of ledger.values()) {
    if (entry.deleted) continue;
    expected++;
    if (seen.has(entry.id)) continue;
    if (pendingWrites.get(entry.id) === "delete") unresolved++;
    else problems.push(`${entry.id} (acknowledged v${entry.version}) is missing from the list`);
  }
  return { pages, listed: items.length, expected, unresolved, problems };
}
