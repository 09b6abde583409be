/**
 * API Gateway gives a function 30 seconds, then answers 503 by itself; the instance that ran
 * late is ended, as Lambda ends one at its own timeout. The gateway's clock here is the test's
 * own: a request runs out of time exactly when the test says so, however busy the machine.
 */
import test from "ava";
import {
  type CounterAnswer,
  jsonOf,
  manualGatewayTimer,
  startFixtureServer,
} from "./fixture-server.ts";

/** Whether a promise has settled yet, without waiting for it. */
function settled(promise: Promise<unknown>): () => boolean {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  return () => done;
}

test("answers 503 when the function's time runs out, not before, and the next request works", async (t) => {
  const clock = manualGatewayTimer();
  const server = await startFixtureServer({
    gatewayTimer: clock.timer,
    maxInstancesPerFunction: 1,
  });
  t.teardown(() => server.close());
  const slow = fetch(`${server.url}/sleep?forever=1`);
  const answered = settled(slow);
  await server.outputIncludes("sleep fixture: waiting forever (1)");
  t.false(answered(), "no answer while the function still has time");
  clock.expire();
  const response = await slow;
  t.is(response.status, 503);
  t.is(await response.text(), '{"message":"Service Unavailable"}');
  // One instance at most: this one can only answer if the late one was ended and replaced.
  t.is((await fetch(`${server.url}/sleep?ms=1`)).status, 200);
  t.is(clock.running, 0, "every request's clock was stopped");
});

test("ends an instance stuck in a loop and starts a fresh one", async (t) => {
  const clock = manualGatewayTimer();
  const server = await startFixtureServer({
    gatewayTimer: clock.timer,
    maxInstancesPerFunction: 1,
  });
  t.teardown(() => server.close());
  const stuck = fetch(`${server.url}/sleep?spin`);
  await clock.untilRunning(1);
  clock.expire();
  t.is((await stuck).status, 503);
  t.is((await fetch(`${server.url}/sleep?ms=1`)).status, 200);
});

test("counts time spent waiting for a free instance against the timeout", async (t) => {
  const clock = manualGatewayTimer();
  const server = await startFixtureServer({
    gatewayTimer: clock.timer,
    maxInstancesPerFunction: 1,
  });
  t.teardown(() => server.close());
  const busy = fetch(`${server.url}/sleep?forever=busy`);
  await server.outputIncludes("sleep fixture: waiting forever (busy)");
  // The only instance is busy: this request waits for it, with its clock already running.
  const waiting = fetch(`${server.url}/sleep?ms=1`);
  await clock.untilRunning(2);
  clock.expire(1);
  t.is((await waiting).status, 503, "ran out of time while waiting");
  clock.expire(0);
  t.is((await busy).status, 503);
});

test("reload() makes the next request load the bundle anew", async (t) => {
  const server = await startFixtureServer();
  t.teardown(() => server.close());
  const count = async () =>
    (await jsonOf<CounterAnswer>(await fetch(`${server.url}/counter-a`))).invocations;
  t.is(await count(), 1);
  t.is(await count(), 2);
  server.reload("counter-a");
  t.is(await count(), 1);
});

test("close() stops serving and ends every function, however often it is called", async (t) => {
  const server = await startFixtureServer();
  await (await fetch(`${server.url}/echo`)).text();
  await Promise.all([server.close(), server.close()]);
  await server.close();
  await t.throwsAsync(fetch(`${server.url}/echo`));
});
