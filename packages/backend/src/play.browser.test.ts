import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleChallenges from '@flagstage/plugin-catalog-backend-module-challenges';
import contestPlugin from '@flagstage/plugin-contest-backend';
import deploymentPlugin from '@flagstage/plugin-deployment-backend';
import deploymentWorkerPlugin from '@flagstage/plugin-deployment-worker';
import { embeddedGatewayPlugin } from './embeddedGateway';
import { findPlayDist, playFrontendPlugin } from './playFrontend';
import {
  embeddedDefaultConfig,
  freePort,
  repoRoot,
  until,
} from './__testUtils__/e2e';

/**
 * The contestant app in a real browser (Debian's Chromium driven by
 * playwright-core) against the real backend on the embedded default: SQLite,
 * the in-process queue, the local driver and the embedded gateway, with the
 * demo contest. Screenshots land in artifacts/screenshots/ at the repo root.
 */

jest.setTimeout(240_000);

const screenshots = path.join(repoRoot, 'artifacts', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(chromiumPath);
const havePlayBuild = fs.existsSync(path.join(findPlayDist(), 'index.html'));
const ready = haveChromium && havePlayBuild;
if (!ready) {
  const why = !haveChromium
    ? `no Chromium at ${chromiumPath} (apt-get install chromium)`
    : 'packages/play is not built (yarn --cwd packages/play build)';
  if (process.env.CI === 'true') {
    throw new Error(`Browser tests cannot run in CI: ${why}`);
  }
  // eslint-disable-next-line no-console
  console.warn(`Skipping the browser tests: ${why}`);
}
const describeIfReady = ready ? describe : describe.skip;

/** axe-core's WCAG 2 A/AA violations on the page as it is now (contrast included). */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations: { id: string; help: string; nodes: unknown[] }[] =
    await page.evaluate(async () => {
      const result = await (window as any).axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
      });
      return result.violations;
    });
  return violations.map(v => `${v.id}: ${v.help} (${v.nodes.length})`);
}

describeIfReady('the contestant app in Chromium', () => {
  let baseUrl: string;
  let browser: Browser;
  let stopBackend: () => Promise<void>;

  beforeAll(async () => {
    fs.mkdirSync(screenshots, { recursive: true });
    const ports = {
      http: await freePort(),
      tcp: await freePort(),
      admin: await freePort(),
    };
    const secret = Buffer.alloc(32, 9).toString('base64');
    const backend = await startTestBackend({
      features: [
        databaseServiceFactory,
        // The real scheduler: the demo seed and the scoreboard run on it.
        schedulerServiceFactory,
        mockServices.rootConfig.factory({
          // *.localhost resolves to loopback in Chromium, so the gateway's
          // per-instance hosts work without DNS.
          data: embeddedDefaultConfig({
            ports,
            key: { kid: 'browser', secret },
            domain: 'gateway.localhost',
            demoChallenges: [
              'challenge:default/web-cookie-jar',
              'challenge:default/tcp-math-oracle',
              'challenge:default/crypto-xor-notes',
              'challenge:default/web-team-vault',
            ],
          }),
        }),
        catalogPlugin,
        catalogModuleChallenges,
        contestPlugin,
        deploymentPlugin,
        deploymentWorkerPlugin,
        embeddedGatewayPlugin,
        playFrontendPlugin,
      ],
    });
    stopBackend = () => backend.stop();
    const { port } = backend.server.address() as net.AddressInfo;
    baseUrl = `http://localhost:${port}`;
    // The demo contest is seeded once the catalog has processed the demo
    // challenges.
    await until(
      'the demo contest with its challenges',
      async () => {
        const res = await fetch(`${baseUrl}/api/contest/admin/contests/demo`, {
          headers: { Authorization: mockCredentials.user.header() },
        });
        return { status: res.status, ...((await res.json()) as any) };
      },
      body => body?.challenges?.length >= 4,
      90_000,
    );
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopBackend?.();
  });

  async function newPlayer(
    username: string,
    team: string,
  ): Promise<{ page: Page }> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/play/`);
    await page.getByRole('heading', { name: /create an account|sign in/i });
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill(`${username} has a long password`);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Create a team' }).waitFor();
    await page.getByLabel('Team name').fill(team);
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByRole('heading', { name: 'Challenges' }).waitFor();
    return { page };
  }

  it('two teams play the demo: start the web challenge, solve it through the gateway, see the scoreboard move, stop the instance', async () => {
    const alice = await newPlayer('alice', 'Alices');
    const bob = await newPlayer('bobby', 'Bobs');

    // The board, by category, with points and solve counts.
    const jarTile = alice.page.getByRole('link', { name: /^Cookie Jar, / });
    await jarTile.waitFor();
    expect(await jarTile.getAttribute('aria-label')).toMatch(
      /^Cookie Jar, \d+ points, 0 solves$/,
    );
    await alice.page.screenshot({
      path: path.join(screenshots, 'board.png'),
      fullPage: true,
    });

    expect(await accessibilityViolations(alice.page)).toEqual([]);

    // On a phone: nothing wider than the screen.
    await alice.page.setViewportSize({ width: 390, height: 844 });
    expect(
      await alice.page.evaluate(
        () => document.documentElement.scrollWidth <= window.innerWidth,
      ),
    ).toBe(true);
    await alice.page.screenshot({
      path: path.join(screenshots, 'board-phone.png'),
      fullPage: true,
    });
    await alice.page.setViewportSize({ width: 1280, height: 900 });

    // Bob watches the scoreboard: nobody has points yet.
    await bob.page.getByRole('link', { name: 'Scoreboard' }).click();
    await bob.page.getByRole('heading', { name: 'Scoreboard' }).waitFor();

    // Alice starts an instance and sees it move to RUNNING without reloading.
    await jarTile.click();
    await alice.page.getByRole('heading', { name: 'Your instance' }).waitFor();
    await alice.page.getByRole('button', { name: 'Start instance' }).click();
    const state = alice.page.locator('.instance-state');
    await until(
      'the instance to run',
      () => state.getAttribute('data-state'),
      s => s === 'RUNNING' || s === 'FAILED',
    );
    expect(await state.getAttribute('data-state')).toBe('RUNNING');
    await alice.page.locator('.countdown').waitFor();
    await alice.page.screenshot({
      path: path.join(screenshots, 'challenge-running.png'),
      fullPage: true,
    });
    expect(await accessibilityViolations(alice.page)).toEqual([]);

    // Open it through the gateway (a new tab), and find the flag: the jar
    // trusts a client-side session cookie.
    const [tab] = await Promise.all([
      alice.page.context().waitForEvent('page'),
      alice.page.getByRole('link', { name: /Open instance/ }).click(),
    ]);
    await tab.waitForLoadState('domcontentloaded');
    const instanceUrl = new URL(tab.url());
    expect(instanceUrl.hostname).toMatch(/\.gateway\.localhost$/);
    expect(instanceUrl.searchParams.has('token')).toBe(false);
    const forged = Buffer.from(
      JSON.stringify({ user: 'admin', admin: true }),
    ).toString('base64');
    await tab.context().addCookies([
      {
        name: 'session',
        value: encodeURIComponent(forged),
        url: instanceUrl.origin,
      },
    ]);
    await tab.goto(`${instanceUrl.origin}/admin`);
    const flag = (await tab.textContent('body'))!.match(
      /flagstage\{[^}]+\}/,
    )?.[0];
    expect(flag).toBeDefined();
    await tab.close();

    // A wrong flag first, then the right one.
    await alice.page
      .getByRole('textbox', { name: 'Flag' })
      .fill('flagstage{nope}');
    await alice.page
      .getByRole('button', { name: 'Submit', exact: true })
      .click();
    await alice.page
      .getByText('Incorrect flag. Check it and try again.')
      .waitFor();
    await alice.page.getByRole('textbox', { name: 'Flag' }).fill(flag!);
    await alice.page
      .getByRole('button', { name: 'Submit', exact: true })
      .click();
    await alice.page
      .getByText('Correct! The points are your team’s.')
      .waitFor();

    // Bob's scoreboard shows Alice's team ahead, by itself (it polls).
    const aliceRow = bob.page.locator('table.scores tbody tr', {
      hasText: 'Alices',
    });
    await aliceRow.waitFor({ timeout: 60_000 });
    await until(
      "Alices' points on Bob's board",
      async () =>
        Number((await aliceRow.locator('td.num').textContent()) ?? '0'),
      score => score > 0,
    );
    const firstRow = bob.page.locator('table.scores tbody tr').first();
    expect(await firstRow.textContent()).toContain('Alices');
    await bob.page.screenshot({
      path: path.join(screenshots, 'scoreboard.png'),
      fullPage: true,
    });
    expect(await accessibilityViolations(bob.page)).toEqual([]);

    // Alice stops her instance; the panel says so and the gateway refuses
    // (its tokens are revoked on stop: 403, the upstream is never tried).
    await alice.page.getByRole('button', { name: 'Stop instance' }).click();
    await alice.page.getByRole('button', { name: 'Start instance' }).waitFor();
    expect(await state.textContent()).toBe(
      'No instance is running for your team.',
    );
    const gone = await alice.page.context().newPage();
    const after = await gone.goto(`${instanceUrl.origin}/`);
    expect(after?.status()).toBe(403);
    await gone.close();

    // The board now shows the solve.
    await alice.page
      .getByRole('link', { name: 'Challenges', exact: true })
      .click();
    await until(
      'the solved tile',
      () =>
        alice.page
          .getByRole('link', { name: /^Cookie Jar, / })
          .getAttribute('aria-label'),
      label => /1 solve, solved$/.test(label ?? ''),
    );
  });
});
