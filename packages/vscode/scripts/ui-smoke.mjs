/* global process, console */
// UI smoke test in a real VS Code workbench (headless Chromium): opens the Container Registries view,
// expands the rig's registry, a repository and a tag, hovers for the lazy tooltip, filters from the
// title bar, and saves screenshots (the README shows SHOT). Needs a server WITHOUT --enable-smoke-test-driver.
// env: CS_URL (workbench URL with ?folder=...), RIG_JSON (dev-rig details), SHOT (png path), CHROMIUM,
// FAIL_SHOT (png of the page when the test fails; default test-results/vscode-ui/ at the repository root,
// which git ignores, so a failed run never leaves a picture next to the README's screenshots).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.env.CS_URL;
const rig = JSON.parse(fs.readFileSync(process.env.RIG_JSON, 'utf8'));
const shot = process.env.SHOT ?? 'screenshot.png';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const failShot = process.env.FAIL_SHOT ?? path.join(repoRoot, 'test-results', 'vscode-ui', 'screenshot-failed.png');
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-profile-'));
const t0 = Date.now();
const lap = (m) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);

const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let failed = false;
const page = ctx.pages()[0] ?? (await ctx.newPage());
const item = (name) => page.getByRole('treeitem', { name }).first();
try {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  lap('workbench visible');
  const tab = page.getByRole('tab', { name: /Container Registries/ });
  await tab.waitFor({ timeout: 60_000 });
  await tab.click();
  lap('opened Container Registries');
  // Room for the screenshot: drag the side bar's edge to the right (best effort).
  const sidebar = await page.locator('.part.sidebar').boundingBox().catch(() => null);
  if (sidebar) {
    const edge = sidebar.x + sidebar.width + 1;
    await page.mouse.move(edge, 400);
    await page.mouse.down();
    await page.mouse.move(edge + 220, 400, { steps: 8 });
    await page.mouse.up();
  }

  await item(new RegExp(rig.loginServer.replace(/[.]/g, '\\.'))).click();
  await item(/^app/).waitFor({ timeout: 30_000 });
  lap('registry expanded: repositories visible');
  await item(/^app/).click();
  const newest = rig.appTags.at(-1);
  await item(new RegExp(`^${newest.replace(/[.]/g, '\\.')}`)).waitFor({ timeout: 30_000 });
  // Newest first: the last pushed tag is the first tag row under the repository.
  const rows = await page.locator('.monaco-list-row[role="treeitem"]').allInnerTexts();
  const firstTag = rows.find((r) => /^v1\.\d+/.test(r.trim()));
  if (!firstTag?.startsWith(newest)) throw new Error(`expected ${newest} first, rows: ${rows.join(' | ')}`);
  lap(`tags visible, newest first (${newest})`);
  // Repositories come by name, so app's tags would push the next repositories out of the (virtual) list:
  // collapse it again (the click also hovered it, which loaded its tag count into the description).
  await item(/^app/).click();
  await item(/^samples\/hello/).waitFor({ timeout: 30_000 });

  await item(/^samples\/hello/).click();
  await item(/^multiarch/).waitFor({ timeout: 30_000 });
  await item(/^multiarch/).click();
  await item(/linux\/arm64/).waitFor({ timeout: 30_000 });
  lap('index expanded into platforms');
  await item(/^latest/).hover();
  await page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'sha256:' }).first().waitFor({ timeout: 15_000 });
  lap('lazy tooltip shows the digest');
  await page.waitForTimeout(400);
  await page.screenshot({ path: shot });
  lap(`screenshot -> ${shot}`);

  // The filter from the view's title bar: type a glob, the view says what it shows, the tags narrow.
  await page.mouse.move(900, 500);
  await item(/^app/).click(); // expand app again: the filter narrows its tags
  await item(/^v1\.19/).waitFor({ timeout: 30_000 });
  await page.locator('.part.sidebar .title-actions .codicon-search').first().click();
  // With the repository app selected the command filters its tags at once; otherwise it asks which.
  const tagsPick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Tags' }).first();
  const tagsPrompt = page.locator('.quick-input-widget').getByText('Filter tags');
  await tagsPick.or(tagsPrompt).first().waitFor({ timeout: 15_000 });
  if (await tagsPick.isVisible()) await tagsPick.click();
  await page.locator('.quick-input-widget input').fill('v1.2?');
  await page.keyboard.press('Enter');
  await page.getByText('Showing tags matching "v1.2?"').waitFor({ timeout: 15_000 });
  await item(/^v1\.19/).waitFor({ state: 'detached', timeout: 15_000 });
  await item(/^v1\.29/).waitFor({ timeout: 15_000 });
  lap('filter from the title bar narrows the tags and shows its message');
  await page.screenshot({ path: shot.replace(/\.png$/, '-filter.png') });
} catch (e) {
  failed = true;
  console.error('UI TEST FAILED:', e.message);
  fs.mkdirSync(path.dirname(failShot), { recursive: true });
  await page.screenshot({ path: failShot }).then(() => console.error(`failure screenshot: ${failShot}`), () => {});
} finally {
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
