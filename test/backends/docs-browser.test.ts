/**
 * The generated reference page (docs/index.html) for QEMU 10.0's guest-agent
 * schema opens in headless Chromium (Debian's `chromium`) without console
 * errors, has a section per command, and navigates. A screenshot is written
 * to test/backends/out/docs-qga.png.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { generateFromFile } from '../../generator/backends/pipeline';
import { syncOutput } from '../../generator/backends/write';
import { chromiumPath } from '../helpers/oracles';
import { QGA_SCHEMA, REPO_ROOT } from '../helpers/shared';

const CHROMIUM = chromiumPath();
const OUT = path.join(REPO_ROOT, 'test', 'backends', 'out', 'docs');
const LINUX = ['CONFIG_LINUX', 'CONFIG_POSIX', 'CONFIG_FSFREEZE', 'CONFIG_FSTRIM', 'HAVE_GETIFADDRS', 'CONFIG_LIBUDEV', 'HAVE_UTMPX', 'CONFIG_GETLOADAVG'];

/** The few browser globals the page callbacks use (the project has no DOM typings). */
interface PageGlobals {
  document: { getElementById(id: string): unknown };
  location: { hash: string };
  scrollTo(x: number, y: number): void;
}

describe('docs/index.html in headless Chromium', () => {
  let browser: Browser;
  let commands: string[];
  let page: string;

  beforeAll(async () => {
    const files = generateFromFile(QGA_SCHEMA, { defines: LINUX, backends: ['docs', 'dispatch'] });
    syncOutput(OUT, files, false);
    page = path.join(OUT, 'docs', 'index.html');
    const dispatch = files.find((f) => f.path === 'dispatch.gen.ts')?.content ?? '';
    commands = [...dispatch.matchAll(/^ {6}name: '([^']+)',$/gm)].map((m) => m[1]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads without console errors, one section per command, navigable', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await ctx.newPage();
    const problems: string[] = [];
    p.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()}`));
    await p.goto('file://' + page);

    expect(commands.length).toBeGreaterThan(40);
    expect(commands).toContain('guest-file-read');
    const sections = await p.$$eval('section.command', (els) => els.map((e) => e.getAttribute('data-name')));
    expect(sections).toEqual(commands);
    // Every section has a heading, every nav link has a target.
    const broken = await p.$$eval('a[href^="#"]', (as) => {
      const g = globalThis as unknown as PageGlobals;
      return as.map((a) => a.getAttribute('href') ?? '').filter((h) => !g.document.getElementById(h.slice(1)));
    });
    expect(broken).toEqual([]);
    // Members, Since and conditions are shown.
    const fileRead = p.locator('section#cmd-guest-file-read');
    await expect(fileRead.locator('td code', { hasText: 'count' }).count()).resolves.toBeGreaterThan(0);
    await expect(fileRead.locator('.since').innerText()).resolves.toMatch(/Since: 0\.15\.0/);
    await expect(p.locator('section#cmd-guest-fsfreeze-freeze .cond').first().innerText()).resolves.toMatch(/CONFIG_FSFREEZE/);
    // Navigation and the filter work.
    await p.click('nav a[href="#cmd-guest-get-time"]');
    expect(await p.evaluate(() => (globalThis as unknown as PageGlobals).location.hash)).toBe('#cmd-guest-get-time');
    await p.fill('#filter', 'fsfreeze');
    const visible = await p.$$eval('nav li:not(.hidden) a', (as) => as.map((a) => a.textContent));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((t) => (t ?? '').toLowerCase().includes('fsfreeze'))).toBe(true);
    expect(visible.length).toBeLessThan(commands.length);
    await p.fill('#filter', '');
    await p.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
    await p.screenshot({ path: path.join(OUT, '..', 'docs-qga.png') });
    expect(fs.statSync(path.join(OUT, '..', 'docs-qga.png')).size).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
    await ctx.close();
  }, 60_000);
});
