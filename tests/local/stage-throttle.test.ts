/**
 * The stage throttle: a token bucket of `burstLimit` refilled at `rateLimit` a second, on an
 * injected clock. Over it the gateway answers 429 itself; the function never sees the request.
 */
import test from "ava";
import { StageThrottle } from "../../scripts/local/stage-throttle.ts";
import { startFixtureServer } from "./fixture-server.ts";

test("takes a burst at once, then refills at the rate, never above the burst", (t) => {
  let now = 1_000_000;
  const throttle = new StageThrottle({ burstLimit: 3, rateLimit: 2 }, () => now);
  const take = (n: number) => Array.from({ length: n }, () => throttle.tryTake());
  t.deepEqual(take(4), [true, true, true, false]);
  now += 499; // 0.998 of a token
  t.deepEqual(take(1), [false]);
  now += 1; // one token
  t.deepEqual(take(2), [true, false]);
  now += 60_000; // a minute refills the bucket, but only to the burst
  t.deepEqual(take(4), [true, true, true, false]);
});

test("a clock going backwards adds nothing", (t) => {
  let now = 5_000;
  const throttle = new StageThrottle({ burstLimit: 1, rateLimit: 1 }, () => now);
  t.true(throttle.tryTake());
  now -= 10_000;
  t.false(throttle.tryTake());
});

test("a burst over the limit is answered 429 by the gateway; the function sees only the admitted", async (t) => {
  let now = 1_000_000;
  const server = await startFixtureServer({
    routes: [{ method: "GET", path: "/tally", name: "tally" }],
    gateway: { throttle: { burstLimit: 5, rateLimit: 1 } },
    now: () => now,
  });
  t.teardown(() => server.close());
  const invocations = () => server.output.filter((c) => c.includes("tally: invoked")).length;
  const answers = await Promise.all(
    Array.from({ length: 12 }, async () => {
      const response = await fetch(`${server.url}/tally`);
      return { status: response.status, body: await response.text() };
    }),
  );
  const refused = answers.filter((a) => a.status === 429);
  t.is(answers.filter((a) => a.status === 200).length, 5);
  t.is(refused.length, 7);
  for (const answer of refused) t.is(answer.body, '{"message":"Too Many Requests"}');
  t.is(invocations(), 5, "the function saw none of the refused requests");
  now += 1_000;
  t.is((await fetch(`${server.url}/tally`)).status, 200);
  t.is((await fetch(`${server.url}/tally`)).status, 429);
  t.is(invocations(), 6);
});
