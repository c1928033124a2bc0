import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Browser } from 'playwright-core';

/**
 * The headless Chromium that the end-to-end tests and the benchmark drive. Never downloaded at
 * test time: it is `CHROMIUM_PATH`, else a Chromium or Chrome installed on the system, else the one
 * `npm ci` brought inside the `@sparticuz/chromium` package (Linux x64/arm64 only).
 */
export interface FoundChromium {
  path: string;
  /** Where it was found, for the log line and the benchmark's machine description. */
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
  /** Extra environment for the browser process. */
  env: Record<string, string>;
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const SYSTEM_PATHS = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

const NONE_FOUND =
  'No Chromium for the end-to-end tests: install Chromium or Chrome (Debian: apt-get install chromium), or set CHROMIUM_PATH to one' +
  ' (the browser that npm ci brings, @sparticuz/chromium, runs on Linux x64 and arm64 only)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onSystem(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of SYSTEM_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      // Ubuntu's /usr/bin/chromium-browser can be a stub that asks for the snap: it must answer --version.
      if (executable(candidate) && /\d+\.\d+/.test(versionOf(candidate) ?? '')) return candidate;
    }
  }
  return SYSTEM_PATHS.find(executable);
}

/** `Chromium 156.0…` as the browser prints it, or null. */
function versionOf(path: string, env: Record<string, string> = {}): string | null {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, ...env } }).trim();
  } catch {
    return null;
  }
}

async function fromNpm(): Promise<FoundChromium | undefined> {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  let Chromium: { executablePath(): Promise<string> };
  try {
    Chromium = (await import('@sparticuz/chromium')).default;
  } catch {
    return undefined;
  }
  // Unpacks its brotli archives into the temp folder once (about 2 s); later calls reuse them.
  const path = await Chromium.executablePath();
  // Its fonts come unpacked beside it; point fontconfig at them only where the system has none.
  const env: Record<string, string> = existsSync('/etc/fonts/fonts.conf') ? {} : { FONTCONFIG_PATH: join(tmpdir(), 'fonts') };
  return { path, source: '@sparticuz/chromium', env };
}

/** Finds a browser, or throws one line saying what to install. */
export async function findChromium(): Promise<FoundChromium> {
  const pinned = process.env.CHROMIUM_PATH;
  if (pinned) {
    if (!executable(pinned)) throw new Error(`CHROMIUM_PATH is ${pinned}, which is not an executable file`);
    return { path: pinned, source: 'CHROMIUM_PATH', env: {} };
  }
  const system = onSystem();
  if (system) return { path: system, source: 'system', env: {} };
  const bundled = await fromNpm();
  if (bundled) return bundled;
  throw new Error(NONE_FOUND);
}

/**
 * Headless, as root on a closed network: without the background-networking flags Chromium keeps
 * trying to reach Google's hosts at every start.
 */
export async function launchChromium(found: FoundChromium): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: found.path,
    headless: true,
    env: { ...process.env, ...found.env } as Record<string, string>,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const chromiumVersion = (found: FoundChromium): string | null => versionOf(found.path, found.env);
