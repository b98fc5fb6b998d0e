/**
 * The offline explorer end to end, in headless Chromium: the page loads from this server only,
 * takes a bearer token, runs GraphiQL's default query and shows the caller's viewer; without a
 * token the result is UNAUTHENTICATED.
 *
 * Needs Debian's chromium at /usr/bin/chromium (CI installs it in .ci/run). When it is missing
 * this file FAILS on purpose: a skipped browser test would hide a broken explorer.
 */
import fs from "node:fs";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { startTestGateway } from "../support/gateway";
import { buildWorld, type World } from "../support/world";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const SCREENSHOT = "/tmp/graphiql.png";
/** This machine has no internet: keep Chromium from calling home (and flooding the closed network). */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

jest.setTimeout(90_000);

let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let world: World;
let browser: Browser;
/** Requests the pages made to anything but the gateway (aborted; the explorer must work offline). */
const foreignRequests: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing: ${CHROMIUM} does not exist. The GraphiQL end-to-end test needs it; ` +
        `install it with \`apt-get update && apt-get install -y --no-install-recommends chromium\` ` +
        `(.ci/run does this), or set CHROMIUM_PATH.`,
    );
  }
  gateway = await startTestGateway();
  world = await buildWorld(gateway.dataSource, gateway.url);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

/** A fresh tab (own sessionStorage) that may only talk to the gateway. */
async function openExplorer(): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const origin = new URL(gateway.url).origin;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + "/") || url.startsWith("data:")) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const failedResponses: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/graphql")) failedResponses.push(`${r.status()} ${r.url()}`);
  });
  const res = await page.goto(`${gateway.url}/graphiql`, { waitUntil: "load" });
  expect(res?.status()).toBe(200);
  // GraphiQL has rendered once its toolbar's execute button is there.
  try {
    await executeButton(page).waitFor({ state: "visible", timeout: 20_000 });
  } catch (error) {
    const shown = (await page.locator("#graphiql").innerText().catch(() => "?")).slice(0, 200);
    throw new Error(
      `GraphiQL did not render at ${gateway.url}/graphiql (#graphiql shows ${JSON.stringify(shown)}).\n` +
        `Failed responses: ${JSON.stringify(failedResponses)}\nPage errors: ${JSON.stringify(pageErrors)}\n${String(error)}`,
    );
  }
  return { context, page, pageErrors };
}

function executeButton(page: Page): Locator {
  return page
    .locator(".graphiql-execute-button")
    .or(page.getByRole("button", { name: /execute query/i }))
    .first();
}

async function useToken(page: Page, token: string): Promise<void> {
  await page.locator("#token").fill(token);
  await page.locator("#token-bar").getByRole("button", { name: "Use token" }).click();
}

/**
 * Runs the query in the editor (GraphiQL's default one) with the execute button and returns the
 * JSON the server answered, once the result pane shows text satisfying `shown`.
 */
async function runQuery(page: Page, shown: (text: string) => boolean): Promise<{ body: unknown; pane: string }> {
  const responsePromise = page.waitForResponse(
    (r) => r.url().endsWith("/graphql") && r.request().method() === "POST" && (r.request().postData() ?? "").includes("viewer"),
    { timeout: 20_000 },
  );
  await executeButton(page).click();
  const response = await responsePromise;
  const body: unknown = await response.json();
  const pane = await waitForText(page.locator(".graphiql-response"), shown, 15_000);
  return { body, pane };
}

async function waitForText(locator: Locator, shown: (text: string) => boolean, timeout: number): Promise<string> {
  const deadline = Date.now() + timeout;
  let text = "";
  for (;;) {
    text = (await locator.innerText().catch(() => "")).replace(/\u00a0/g, " ");
    if (shown(text) || Date.now() > deadline) return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("offline GraphiQL at /graphiql", () => {
  it("runs the default query with the admin's token and shows the admin's viewer", async () => {
    const { context, page, pageErrors } = await openExplorer();
    try {
      // The default query is in the editor.
      const editorText = await page.locator(".graphiql-query-editor").innerText();
      expect(editorText).toContain("viewer");

      await useToken(page, world.tokens.asAdmin);
      const email = world.users.admin.email;
      const { body, pane } = await runQuery(page, (t) => t.includes(email) && t.includes('"role": "ADMIN"'));

      expect(body).toMatchObject({ data: { viewer: { role: "ADMIN", user: { email } } } });
      expect(pane).toContain(email);
      expect(pane).toContain('"role": "ADMIN"');
      expect(pane).not.toContain("UNAUTHENTICATED");

      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows UNAUTHENTICATED without a token", async () => {
    const { context, page, pageErrors } = await openExplorer();
    try {
      expect(await page.locator("#token").inputValue()).toBe("");
      const { body, pane } = await runQuery(page, (t) => t.includes("UNAUTHENTICATED"));

      expect(body).toMatchObject({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) })] });
      expect(pane).toContain("UNAUTHENTICATED");
      expect(pane).not.toContain(world.users.admin.email);
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("drops the token when it is cleared", async () => {
    const { context, page } = await openExplorer();
    try {
      await useToken(page, world.tokens.asAdmin);
      await runQuery(page, (t) => t.includes('"role": "ADMIN"'));
      await useToken(page, "");
      const { pane } = await runQuery(page, (t) => t.includes("UNAUTHENTICATED"));
      expect(pane).toContain("UNAUTHENTICATED");
      expect(pane).not.toContain('"role": "ADMIN"');
    } finally {
      await context.close();
    }
  });

  it("loads nothing from outside the gateway", () => {
    expect(foreignRequests).toEqual([]);
  });
});
