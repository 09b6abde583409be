import test from "ava";
import { readConfig } from "../../common/config.ts";
import { dynamoDbTimeoutsOf } from "../../common/dynamodb.ts";

test("reads the table name", (t) => {
  t.deepEqual(readConfig({ TABLE_NAME: "items-prod" }), { tableName: "items-prod" });
});

test("trims the table name", (t) => {
  t.deepEqual(readConfig({ TABLE_NAME: " \titems-prod\n" }), { tableName: "items-prod" });
});

const refuses = test.macro({
  exec(t, env: NodeJS.ProcessEnv) {
    const error = t.throws(() => readConfig(env), { instanceOf: Error });
    t.regex(error?.message ?? "", /TABLE_NAME/);
  },
  title: (providedTitle = "") => `fails fast, naming TABLE_NAME, when it is ${providedTitle}`,
});
test("missing", refuses, {});
test("empty", refuses, { TABLE_NAME: "" });
test("blank", refuses, { TABLE_NAME: "   " });
test("only line breaks and tabs", refuses, { TABLE_NAME: "\n\t\r\n" });
test("set under another case", refuses, { table_name: "items-prod" });

test.serial("reads the process environment by default", (t) => {
  const saved = process.env.TABLE_NAME;
  try {
    process.env.TABLE_NAME = "from-process-env";
    t.is(readConfig().tableName, "from-process-env");
    delete process.env.TABLE_NAME;
    t.throws(() => readConfig(), { message: /TABLE_NAME/ });
  } finally {
    if (saved === undefined) delete process.env.TABLE_NAME;
    else process.env.TABLE_NAME = saved;
  }
});

test("DynamoDB timeouts are 1 s unless DYNAMODB_TIMEOUT_MS names whole milliseconds", (t) => {
  const production = { connectionTimeoutMs: 1_000, requestTimeoutMs: 1_000 };
  t.like(dynamoDbTimeoutsOf({}), production);
  for (const invalid of ["", "0", "-5", "1.5", "1e400", "soon"]) {
    t.like(dynamoDbTimeoutsOf({ DYNAMODB_TIMEOUT_MS: invalid }), production, invalid);
  }
  t.deepEqual(dynamoDbTimeoutsOf({ DYNAMODB_TIMEOUT_MS: "30000" }), {
    connectionTimeoutMs: 30_000,
    requestTimeoutMs: 30_000,
  });
});
