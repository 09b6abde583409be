import test from "ava";
import {
  type AllowedChange,
  changedAttributes,
  judgeReplan,
  readAllowList,
} from "../../scripts/rehearse/replan.ts";
import type { ResourceChange } from "../../scripts/rehearse/terraform.ts";

const loggingGap: AllowedChange = {
  type: "aws_lambda_function",
  actions: ["update"],
  attributes: ["logging_config"],
  gap: "the emulator does not return it",
};

function update(address: string, before: object, after: object): ResourceChange {
  const type = address.split(".")[0] ?? "";
  return {
    address,
    type,
    change: { actions: ["update"], before: { ...before }, after: { ...after } },
  };
}

const loggingChange = update(
  "aws_lambda_function.get",
  { logging_config: [], memory_size: 512 },
  {
    logging_config: [{ log_format: "JSON" }],
    memory_size: 512,
  },
);

test("a change the allow-list names passes, and counts as allowed", (t) => {
  const verdict = judgeReplan("dev", [loggingChange], [loggingGap]);
  t.deepEqual(verdict, { unexpected: [], stale: [], allowed: 1 });
});

test("a change to an attribute the entry does not name fails, naming the attribute", (t) => {
  const change = update(
    "aws_lambda_function.get",
    { logging_config: [], memory_size: 512 },
    {
      logging_config: [{ log_format: "JSON" }],
      memory_size: 1024,
    },
  );
  const verdict = judgeReplan("dev", [change], [loggingGap]);
  t.deepEqual(verdict.unexpected, [
    "aws_lambda_function.get: update (logging_config, memory_size)",
  ]);
  t.is(verdict.allowed, 0);
});

test("a replace is not an update, even of the same attributes", (t) => {
  const replace = {
    ...loggingChange,
    change: { ...loggingChange.change, actions: ["delete", "create"] },
  };
  t.is(judgeReplan("dev", [replace], [loggingGap]).unexpected.length, 1);
});

test("an entry that matches nothing fails as stale, but only in the configurations it names", (t) => {
  const onlyProd = { ...loggingGap, configurations: ["prod"] };
  t.deepEqual(judgeReplan("dev", [], [onlyProd]).stale, []);
  t.deepEqual(judgeReplan("prod", [], [onlyProd]).stale, [
    "allow-list entry aws_lambda_function update (logging_config) no longer occurs",
  ]);
  t.is(judgeReplan("dev", [], [loggingGap]).stale.length, 1);
});

test("a value becoming unknown counts as a change", (t) => {
  const change = { ...loggingChange.change, after_unknown: { last_modified: true } };
  t.deepEqual(changedAttributes(change), ["last_modified", "logging_config"]);
});

test("every allow-list entry names the emulator gap behind it", (t) => {
  const entries = readAllowList();
  t.true(entries.length > 0);
  for (const entry of entries) {
    t.true(entry.gap.length > 40, `${entry.type}: say which emulator gap this is`);
    t.true(
      entry.type.startsWith("aws_") && entry.attributes.length > 0 && entry.actions.length > 0,
    );
  }
});
