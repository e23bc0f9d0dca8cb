// GraphiQL in a real browser (issue 12): Debian's Chromium, driven by playwright-core, opens the
// sandbox gateway's page (the emulator in-process, the gateway on a loopback port), finds one tab
// per operations/*.graphql, runs the first and reads real data in the result pane, runs a wrong
// field and reads the error (subscriptions over SSE are streamed end to end by
// test/schema/subscriptions.test.ts), and fails if the page asked for anything outside its own origin (the
// page used to load its scripts from a CDN and stay at "Loading…" offline). Chromium is looked up
// on PATH, never downloaded; without it the test fails and says how to install it.
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.js';
import { loadSettings } from '../../src/settings.js';
import { type LoopbackServer, serveOnLoopback } from '../helpers/http.js';

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

/** Debian's `chromium` on PATH (.ci/run installs it when missing). */
function findChromium(): string | undefined {
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

const operationsDir = join(import.meta.dirname, '..', '..', 'operations');
const examples = readdirSync(operationsDir)
  .filter((file) => file.endsWith('.graphql'))
  .sort();
/** `query Shops`: how the first tab's editor starts its operation. */
const firstOperation = /(query|mutation) \w+/.exec(
  readFileSync(join(operationsDir, examples[0] ?? ''), 'utf8'),
)?.[0];

describe('GraphiQL in Chromium', () => {
  const startedAt = performance.now();
  let dir: string;
  let app: App;
  let server: LoopbackServer;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const requested: string[] = [];
  /** The Authorization header of each GraphQL POST the page sent. */
  const sentAuthorization: Array<string | undefined> = [];
  /** Uncaught exceptions, and requests the page's Content-Security-Policy refused (no request event). */
  const pageErrors: string[] = [];
  const timings: Record<string, number> = {};
  const mark = (name: string) => {
    timings[name] = Math.round(performance.now() - startedAt);
  };

  beforeAll(async () => {
    const executablePath = findChromium();
    if (!executablePath) {
      throw new Error(
        'Chromium is not installed (no `chromium` on PATH): `apt-get install -y chromium` ' +
          '(.ci/run installs it). This test never downloads a browser.',
      );
    }
    dir = mkdtempSync(join(tmpdir(), 'graphiql-browser-'));
    app = await createApp(
      loadSettings({ LOG_LEVEL: 'silent', TOKEN_STORE_PATH: join(dir, 'tokens.json') }),
      { sandbox: { scale: 0.05 } },
    );
    server = await serveOnLoopback(app.gateway);
    origin = `http://127.0.0.1:${server.port}`;
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS });
    const context = await browser.newContext();
    // Every request of the page and its workers.
    context.on('request', (request) => {
      requested.push(request.url());
      if (request.method() === 'POST' && request.url() === `${origin}/graphql`) {
        sentAuthorization.push(request.headers().authorization);
      }
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    mark('browserUpMs');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    mark('totalMs');
    const paths = requested.map((url) => url.replace(origin, ''));
    console.info(`GraphiQL browser test: ${JSON.stringify(timings)}; requests: ${paths.join(' ')}`);
  });

  /** What an editor shows (Monaco renders spaces as no-break spaces). */
  const textOf = async (selector: string) =>
    ((await page.locator(selector).textContent()) ?? '').replace(/\u00a0/g, ' ');

  /** The text of the result pane once it contains `expected`. */
  const resultContaining = async (expected: string) => {
    await expect.poll(() => textOf('.graphiql-response'), { timeout: 15_000 }).toContain(expected);
    return textOf('.graphiql-response');
  };

  it('opens with one tab per example operation', async () => {
    await page.goto(`${origin}/graphql`);
    await expect
      .poll(() => page.locator('.graphiql-tab').count(), { timeout: 30_000 })
      .toBe(examples.length);
    mark('tabsShownMs');
    expect(await page.title()).toBe('TikTok Shop gateway');
  });

  it('runs the first tab and shows real data', async () => {
    const shop = app.sandbox?.shops[0];
    if (!shop) throw new Error('The sandbox authorised no shop.');
    // The editor has the tab's document once GraphiQL is up.
    await expect
      .poll(() => textOf('.graphiql-query-editor'), { timeout: 15_000 })
      .toContain(firstOperation);
    await page.locator('.graphiql-execute-button').click();
    const text = await resultContaining(shop.name);
    expect(text).toContain(shop.id);
    expect(text).not.toContain('"errors"');
    // The sandbox's development key, preloaded for the gateway's own loopback origin.
    expect(sentAuthorization.at(-1)).toBe(`Bearer ${app.developmentKey}`);
  });

  it('runs a wrong field and shows the error', async () => {
    await page.locator('.graphiql-query-editor .monaco-editor').first().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // The same operation name, so GraphiQL's remembered one still fits; Monaco closes the brace.
    await page.keyboard.type(`${firstOperation} { nope`);
    await page.locator('.graphiql-execute-button').click();
    const text = await resultContaining('Cannot query field');
    expect(text).toContain('nope');
    expect(text).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('asked for nothing outside its own origin, and nothing was refused', () => {
    const elsewhere = requested.filter(
      (url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'),
    );
    expect(requested.length).toBeGreaterThan(0);
    expect(elsewhere).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
