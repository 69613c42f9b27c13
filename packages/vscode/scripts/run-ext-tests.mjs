/* global process, console, URL, setTimeout, clearTimeout */
// Runs the extension-host test suite (the @vscode/test-electron `run()` contract) inside a VS Code
// server's Node extension host; headless Chromium is only the workbench client. Exit code = the suite's.
// usage: node run-ext-tests.mjs <serverUrl> <extensionDevelopmentPath> <extensionTestsPath> <folder> [resultsFile]
// env: CHROMIUM (browser path), EXT_TEST_TIMEOUT_MS, VERBOSE (echo the workbench console)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [server, devPath, testsPath, folder, results] = process.argv.slice(2);
const remote = (p) => `vscode-remote://${new URL(server).host}${path.resolve(p)}`;
const payload = [['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(testsPath)]];
const url = `${server}/?folder=${encodeURIComponent(path.resolve(folder))}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const timeoutMs = Number(process.env.EXT_TEST_TIMEOUT_MS ?? 300_000);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-profile-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
let code = 1;
let timer;
try {
  // The clipboard test writes through the workbench (the browser); allow it.
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server).origin });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const done = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (c) => resolve(c)));
  if (process.env.VERBOSE) page.on('console', (m) => console.log('[workbench]', m.text().replace(/^%c\s*\w+\s*color: #\w+\s*/, '')));
  await page.goto(url);
  code = await Promise.race([done, new Promise((r) => (timer = setTimeout(() => { console.error(`timed out after ${timeoutMs} ms`); r(124); }, timeoutMs)))]);
} finally {
  clearTimeout(timer);
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
if (results && fs.existsSync(results)) process.stdout.write(fs.readFileSync(results, 'utf8'));
else console.error(`no results file (${results}); extension host exit code ${code}`);
process.exit(code);
