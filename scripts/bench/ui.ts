import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CofferApp } from '../../electron/core/app';
import { initSodium } from '../../electron/core/crypto/sodium';
import { startBrowserDoor } from '../../electron/server/browser-door';
import { PASSWORD } from './generator';
import type { OpOutcome } from './ops';
import { childEnv, median, now, peakRssMb, percentile, repeat, round } from './measure';
import type { FoundChromium } from '../chromium';
import { findChromium, launchChromium } from '../chromium';

export const staticDir = (root: string) => join(root, 'dist', 'renderer');

/** The browser the ui ops drive (as the end-to-end tests find it, never downloaded), or why they cannot run here. */
export async function uiBrowser(root: string): Promise<FoundChromium | { unavailable: string }> {
  if (!existsSync(join(staticDir(root), 'index.html'))) return { unavailable: 'the renderer is not built (dist/renderer/index.html missing)' };
  return findChromium().catch((e: Error) => ({ unavailable: e.message }));
}

/** Why `npm start` cannot be timed here: it would build first (minutes) where the app is not built. */
export function appStartUnavailable(root: string): string | undefined {
  const missing = ['dist/electron/server/browser-mode.js', 'dist/electron/main/index.js'].find((f) => !existsSync(join(root, f)));
  return missing ? `npm start would build first: ${missing} is missing (npm run build)` : undefined;
}

/** Browser mode on one vault: the door `npm start -- --browser` runs, in this process or in a child. */
export interface UiServer {
  url: string;
  lock(): Promise<void>;
  /** Stops and returns the serving process's peak RSS in MB. */
  stop(): Promise<number>;
}

export async function serveInProcess(vaultPath: string, root: string): Promise<UiServer> {
  await initSodium();
  const app = new CofferApp({ vaultPath, door: 'browser' });
  const door = await startBrowserDoor({ app, staticDir: staticDir(root) });
  return {
    url: door.url,
    lock: async () => app.lock(),
    stop: async () => {
      app.close();
      await door.close();
      return peakRssMb();
    },
  };
}

/**
 * In-page probe, armed before Enter is pressed: t0 when the Enter keydown reaches the document, t1
 * at the first animation frame in which a secret row is laid out inside the viewport.
 */
const ARM_UNLOCK_PROBE = `(() => {
  let done;
  const b = (window.__bench = { t0: null, t1: null, done: new Promise((r) => (done = r)) });
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && b.t0 === null) b.t0 = performance.now(); }, true);
  const row = () => document.querySelector('[data-testid="secret-row"]')
    || [...document.querySelectorAll('[role="row"]')].find((r) => r.getAttribute('aria-hidden') !== 'true' && !r.querySelector('[role="columnheader"]'));
  const visible = () => { const r = row(); if (!r) return false; const box = r.getBoundingClientRect(); return box.height > 0 && box.bottom > 0 && box.top < innerHeight; };
  // Roles that read the audit log land on Review: its figures drawn is their screen ready.
  const review = () => document.querySelector('[data-testid="review"] .dash-total');
  const tick = () => { if (b.t0 !== null && (visible() || review())) { b.t1 = performance.now(); done(b.t1 - b.t0); return; } requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`;

/**
 * Scrolls the table's scroll container from top to bottom in equal steps, one per animation frame,
 * and returns the deltas between frames. `WARM` frames of small steps near the top come first.
 */
const scrollScript = (steps: number, warm: number) => `(async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const first = document.querySelector('[data-testid="secret-row"]') || document.querySelector('[role="row"]');
  let el = first && first.parentElement;
  while (el && !(el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
  el = el || document.scrollingElement;
  const max = el.scrollHeight - el.clientHeight;
  for (let i = 1; i <= ${warm}; i++) { el.scrollTop = i * 36; await frame(); }
  el.scrollTop = 0;
  await frame(); await frame();
  const deltas = [];
  let placeholders = 0;
  let last = await frame();
  for (let i = 1; i <= ${steps}; i++) {
    el.scrollTop = Math.round((max * i) / ${steps});
    const t = await frame();
    deltas.push(t - last);
    last = t;
    if (el.querySelector('[role="row"][aria-hidden="true"]')) placeholders++;
  }
  const settleStart = performance.now();
  while (el.querySelector('[role="row"][aria-hidden="true"]') && performance.now() - settleStart < 10000) await frame();
  const settleMs = performance.now() - settleStart;
  const rows = el.querySelectorAll('[data-testid="secret-row"]');
  const lastRow = rows[rows.length - 1];
  const lastIndex = lastRow ? Number(lastRow.getAttribute('aria-rowindex')) - 1 : -1;
  // Then wheel-like: 120 px per frame from the middle, most rows staying on screen.
  el.scrollTop = Math.round(max / 2);
  const wheelStart = performance.now();
  do await frame(); while (el.querySelector('[role="row"][aria-hidden="true"]') && performance.now() - wheelStart < 10000);
  const wheel = [];
  last = await frame();
  for (let i = 1; i <= 120 && el.scrollTop < max; i++) {
    el.scrollTop += 120;
    const t = await frame();
    wheel.push(t - last);
    last = t;
  }
  return { deltas, placeholders, max, settleMs, lastIndex, wheel };
})()`;

async function unlockOnce(browser: Browser, url: string): Promise<{ ms: number; page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  const password = page.getByLabel('Password');
  try {
    await password.waitFor({ timeout: 30_000 });
  } catch (e) {
    const shown = ((await page.evaluate('document.body.innerText').catch(() => '')) as string).replace(/\s+/g, ' ').slice(0, 300);
    throw new Error(`no Password field on the page (it shows: "${shown}"): ${(e as Error).message.split('\n')[0]}`);
  }
  await password.fill(PASSWORD);
  await page.evaluate(ARM_UNLOCK_PROBE);
  await password.press('Enter');
  // A string, not a function: the app's CSP forbids the eval Playwright's waitForFunction relies on.
  const ms = (await page.evaluate('window.__bench.done')) as number;
  return { ms, page, close: () => context.close() };
}

export interface UiOutcomes {
  unlock: OpOutcome;
  scroll: OpOutcome;
}

/** Unlock to a rendered table (a fresh page per run, the vault locked between), then one scroll pass. */
export async function measureUi(server: UiServer, found: FoundChromium, opts: { size: number; runs: number }): Promise<UiOutcomes> {
  const browser = await launchChromium(found);
  try {
    const unlockRuns = opts.size >= 50_000 ? Math.min(opts.runs, 3) : opts.runs;
    const samples: number[] = [];
    let last: Awaited<ReturnType<typeof unlockOnce>> | undefined;
    for (let i = -1; i < unlockRuns; i++) {
      await last?.close();
      await server.lock();
      last = await unlockOnce(browser, server.url);
      if (i >= 0) samples.push(last.ms);
    }
    const page = last!.page;
    // The scroll pass is the table's: from Review, the landing of this vault's Account Holder, to Personal.
    if (!(await page.getByTestId('secret-row').first().isVisible())) {
      await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /^Personal/ }).click();
      await page.getByTestId('secret-row').first().waitFor({ timeout: 60_000 });
    }
    // 300 frames for big tables; small ones need fewer to reach the bottom.
    const steps = Math.min(300, Math.max(60, Math.round(opts.size / 50)));
    const r = (await page.evaluate(scrollScript(steps, 20))) as {
      deltas: number[];
      placeholders: number;
      max: number;
      settleMs: number;
      lastIndex: number;
      wheel: number[];
    };
    await last!.close();
    if (r.max <= 0) throw new Error('the table did not scroll (no scroll container taller than its view)');
    const total = r.deltas.reduce((a, b) => a + b, 0);
    return {
      unlock: { samples, note: 'Enter on the unlock form to the landing screen drawn: Review\'s figures for this Account Holder, the first secret row for roles that land on the table (in-page clock)' },
      scroll: {
        samples: r.deltas,
        perSecond: (r.deltas.length * 1000) / total,
        note:
          `top to bottom in ${steps} equal steps of ${Math.round(r.max / steps)} px, one per frame (every frame new rows: a scrollbar drag); ` +
          `${r.placeholders} frames showed placeholder rows, filled ${round(r.settleMs, 0)} ms after the last step; last row shown #${r.lastIndex}. ` +
          `Wheel-like (120 px per frame, ${r.wheel.length} frames): median ${round(median(r.wheel), 1)} ms, p95 ${round(percentile(r.wheel, 95), 1)} ms`,
      },
    };
  } finally {
    await browser.close();
  }
}

/** Resolves with the URL `npm start` prints on its first line, rejects if it exits first. */
function printedUrl(child: ReturnType<typeof spawn>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const url = /http:\/\/127\.0\.0\.1:\d+\S*/.exec(out)?.[0];
      if (url) resolve(url);
    });
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.once('exit', (code) => reject(new Error(`npm start exited ${code} before printing its URL: ${err.trim().split('\n')[0] ?? ''}`)));
  });
}

/**
 * The largest peak resident set (VmHWM) among the live processes of group `pgid`, in MB: the server
 * `npm start` runs, larger than npm itself. Read from /proc (Linux); NaN where there is none.
 */
function groupPeakRssMb(pgid: number): number {
  let max = Number.NaN;
  const pids = existsSync('/proc') ? readdirSync('/proc').filter((p) => /^\d+$/.test(p)) : [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After "pid (comm) ": state, ppid, pgrp.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) max = Math.max(Number.isNaN(max) ? 0 : max, Number(kb) / 1024);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return max;
}

/** Ends npm start and what it started (its own process group), and waits for it. */
function stopGroup(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      done();
    }
  });
}

/**
 * `npm start -- --browser` (what runs where Electron's binary is absent) on `vaultPath`: from
 * spawning npm to the unlock form painted in a Chromium already running, as a person's browser is:
 * the URL read from its output, the page loaded, the Password field visible and one frame drawn
 * after it. A fresh server and browser context per run.
 */
export async function measureAppStart(root: string, vaultPath: string, found: FoundChromium, runs: number): Promise<OpOutcome> {
  const browser = await launchChromium(found);
  const env = childEnv(join(dirname(vaultPath), 'data'), { npm: true });
  let rss = 0;
  try {
    const samples = await repeat({ warmup: 1, runs }, async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const t0 = now();
      const child = spawn('npm', ['start', '--silent', '--', '--browser', '--port', '0', '--vault', vaultPath], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        await page.goto(await printedUrl(child));
        await page.getByLabel('Password').waitFor({ timeout: 30_000 });
        // A string, not a function: the app's CSP forbids the eval Playwright's functions rely on.
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(0)))');
        const ms = now() - t0;
        rss = Math.max(rss, groupPeakRssMb(child.pid!));
        return ms;
      } finally {
        await stopGroup(child);
        await context.close();
      }
    });
    return {
      samples,
      peakRssMb: rss || Number.NaN,
      note: 'npm start -- --browser --port 0 --vault V, spawn to the unlock form\'s Password field visible and a frame drawn, in a Chromium already running; peak RSS: the serving process at that point',
    };
  } finally {
    await browser.close();
  }
}
