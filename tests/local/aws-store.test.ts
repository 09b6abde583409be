/**
 * `--aws`: the server resolves region and credentials with the SDK's full chain (here, a named
 * profile) and hands them to the functions as environment variables, as Lambda does. A stand-in
 * DynamoDB plays AWS so that the tables can be checked without an account.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { openStore } from "../../scripts/local/local-store.ts";
import { startTestDatabase } from "../helpers/dynalite.ts";

test.serial(
  "--aws gives the functions the profile's credentials and region as Lambda-style variables",
  async (t) => {
    const db = await startTestDatabase();
    const folder = mkdtempSync(path.join(tmpdir(), "items-api-aws-"));
    const savedEnv = { ...process.env };
    t.teardown(async () => {
      // The next test starts from this file's usual environment, not from this profile.
      for (const name of Object.keys(process.env))
        if (!(name in savedEnv)) delete process.env[name];
      Object.assign(process.env, savedEnv);
      rmSync(folder, { recursive: true, force: true });
      await db.stop();
    });
    const [tableName, idempotencyTableName] = [
      await db.createItemsTable(),
      await db.createIdempotencyTable(),
    ];
    const credentialsFile = path.join(folder, "credentials");
    const configFile = path.join(folder, "config");
    writeFileSync(
      credentialsFile,
      "[demo]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\naws_session_token = profile-token\n",
    );
    writeFileSync(configFile, "[profile demo]\nregion = eu-west-3\n");
    // The chain must reach the profile: nothing in the environment may come first.
    for (const name of [
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN",
      "AWS_REGION",
      "AWS_DEFAULT_REGION",
    ]) {
      delete process.env[name];
    }
    Object.assign(process.env, {
      AWS_PROFILE: "demo",
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_CONFIG_FILE: configFile,
    });

    const store = await openStore({ aws: true, tableName, idempotencyTableName, dataDir: folder });
    t.teardown(() => store.close());

    t.is(store.kind, "aws");
    t.deepEqual(store.functionEnv, {
      AWS_REGION: "eu-west-3",
      AWS_ACCESS_KEY_ID: "AKIDPROFILE",
      AWS_SECRET_ACCESS_KEY: "profile-secret",
      AWS_SESSION_TOKEN: "profile-token",
    });
  },
);

test.serial("--aws refuses to start when a table is missing, and names it", async (t) => {
  const db = await startTestDatabase();
  t.teardown(() => db.stop());
  const idempotencyTableName = await db.createIdempotencyTable();
  await t.throwsAsync(
    openStore({ aws: true, tableName: "no-such-table", idempotencyTableName, dataDir: tmpdir() }),
    { message: /no-such-table/ },
  );
});
