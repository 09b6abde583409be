/**
 * API Gateway gives a function 30 seconds (shortened here), then answers 503 by itself; the
 * instance that ran late is ended, as Lambda ends one at its own timeout.
 */
import test from "ava";
import { type CounterAnswer, jsonOf, startFixtureServer } from "./fixture-server.ts";

const gatewayTimeoutMs = 400;

test("answers 503 when the function is too slow, and the next request still works", async (t) => {
  const server = await startFixtureServer({ gatewayTimeoutMs });
  t.teardown(() => server.close());
  const started = Date.now();
  const response = await fetch(`${server.url}/sleep?ms=5000`);
  t.is(response.status, 503);
  t.is(await response.text(), '{"message":"Service Unavailable"}');
  t.true(Date.now() - started < gatewayTimeoutMs + 300);
  t.is((await fetch(`${server.url}/sleep?ms=1`)).status, 200);
});

test("ends an instance stuck in a loop and starts a fresh one", async (t) => {
  const server = await startFixtureServer({ gatewayTimeoutMs });
  t.teardown(() => server.close());
  t.is((await fetch(`${server.url}/sleep?spin`)).status, 503);
  t.is((await fetch(`${server.url}/sleep?ms=1`)).status, 200);
});

test("counts time spent waiting for a free instance against the timeout", async (t) => {
  const server = await startFixtureServer({ gatewayTimeoutMs, maxInstancesPerFunction: 1 });
  t.teardown(() => server.close());
  const statuses = await Promise.all(
    [1, 2].map(async () => (await fetch(`${server.url}/sleep?ms=250`)).status),
  );
  t.deepEqual(statuses.sort(), [200, 503]);
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
