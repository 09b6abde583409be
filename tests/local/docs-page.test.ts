/**
 * The interactive docs page (/docs) in a real browser: Debian's Chromium, driven by
 * playwright-core, against the local server. The page loads with nothing fetched from outside
 * the server, lists the five operations, and "Try it out" on create answers 201 with an item
 * that is then really there. A screenshot is kept in test-results/docs-page.png (CI uploads it).
 *
 * Without /usr/bin/chromium (or the browser CHROMIUM_PATH names) the test is skipped, saying so,
 * unless DOCS_PAGE_TEST_REQUIRED is set (.ci/steps/60-docs-page.sh installs Chromium and sets
 * it): there it must run.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import test from "ava";
import { chromium } from "playwright-core";
import { projectRoot } from "../../scripts/build/build.ts";
import { startLocalServer } from "../../scripts/local/local-server.ts";
import { ensureBundles } from "../helpers/local-api.ts";

const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const screenshotPath = path.join(projectRoot, "test-results", "docs-page.png");
const browserArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const available = existsSync(executablePath);
const required = Boolean(process.env.DOCS_PAGE_TEST_REQUIRED);
const title = "/docs loads, lists the five operations, and Try it out on create answers 201";

if (!available && !required) {
  test.skip(`${title} (skipped: no ${executablePath}; apt-get install chromium)`, () => {});
} else {
  test(title, async (t) => {
    t.true(available, `${executablePath} is required here: apt-get install -y chromium`);
    await ensureBundles();
    const server = await startLocalServer({ port: 0, inMemory: true, onRequest: () => {} });
    t.teardown(() => server.close());
    const profile = await mkdtemp(path.join(tmpdir(), "items-api-chromium-"));
    t.teardown(() => rm(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      args: browserArgs,
      viewport: { width: 1280, height: 1600 },
    });
    t.teardown(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(server.url)) elsewhere.push(request.url());
    });

    await page.goto(`${server.url}/docs`);
    await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
    t.regex((await page.locator(".info .title").textContent()) ?? "", /items-api/);
    const operations = await page
      .locator(".opblock-summary")
      .evaluateAll((blocks) =>
        blocks.map((block) =>
          [".opblock-summary-method", ".opblock-summary-path"]
            .map((selector) => block.querySelector(selector)?.textContent?.trim())
            .join(" "),
        ),
      );
    t.deepEqual(operations.sort(), ["DELETE /{id}", "GET /", "GET /{id}", "POST /", "PUT /{id}"]);

    const create = page.locator("#operations-items-createItem");
    await create.locator(".opblock-summary").click();
    await create.locator("button.try-out__btn").click();
    const body = { name: "made in the docs page", description: "by Try it out" };
    await create.locator("textarea.body-param__text").fill(JSON.stringify(body, null, 2));
    await create.locator("button.execute").click();
    const status = create.locator(".live-responses-table .response .response-col_status").first();
    await status.waitFor({ timeout: 20_000 });
    t.is((await status.textContent())?.trim(), "201");
    const answer = await create.locator(".live-responses-table .microlight").first().textContent();
    const item = JSON.parse(answer ?? "{}") as { id?: string };
    t.like(item, body);

    await mkdir(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    t.deepEqual(elsewhere, [], "nothing is fetched from outside the local server");
    t.is((await fetch(`${server.url}/${item.id}`)).status, 200, "the item was created");
  });
}
