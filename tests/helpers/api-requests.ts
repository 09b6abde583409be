/**
 * Requests and assertions shared by the fault tests over HTTP: making an item, and the checks of
 * a 503 that tells the client to come back later (the requests per route are route-cases.ts).
 */
import type { ExecutionContext } from "ava";
import type { Item } from "../../common/items-table.ts";
import { type RawResponse, sendRequest } from "./raw-http.ts";

const json: [string, string] = ["Content-Type", "application/json"];

/** Creates an item through the API. */
export async function createThroughApi(url: string, name = "kept"): Promise<Item> {
  const response = await sendRequest(url, {
    method: "POST",
    target: "/",
    headers: [json],
    body: JSON.stringify({ name, description: "written before the fault" }),
  });
  if (response.status !== 201) throw new Error(`create answered ${response.status}`);
  return JSON.parse(response.body.toString()) as Item;
}

/**
 * Asserts the function's own 503 problem+json with a Retry-After of whole seconds (the gateway's
 * 503 would be `{"message":"Service Unavailable"}`). How fast it came is the bench's business.
 */
export function assertUnavailable(t: ExecutionContext, route: string, response: RawResponse): void {
  const text = response.body.toString();
  t.is(response.status, 503, `${route}: ${text}`);
  t.is(response.headers["content-type"]?.[0], "application/problem+json", route);
  t.like(JSON.parse(text), { status: 503, title: "Service Unavailable" });
  t.regex(response.headers["retry-after"]?.[0] ?? "", /^[1-9]\d*$/, `${route}: Retry-After`);
  t.false(/Exception|\bat \S+ \(|arn:aws|127\.0\.0\.1/.test(text), `${route} leaks: ${text}`);
}
