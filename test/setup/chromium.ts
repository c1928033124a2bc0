import type { TestProject } from 'vitest/node' with { 'resolution-mode': 'import' };
import type { FoundChromium } from '../../scripts/chromium';
import { findChromium } from '../../scripts/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: FoundChromium;
  }
}

/**
 * Finds the end-to-end tests' browser once, before any test file starts: the npm-bundled one unpacks
 * into a shared temp folder, which test files starting side by side must not race to write.
 * Without a browser the run fails here, with one line saying what to install, never skips.
 */
export default async function findBrowser(project: TestProject): Promise<void> {
  let found: FoundChromium;
  try {
    found = await findChromium();
  } catch (e) {
    process.stderr.write(`\n${(e as Error).message}\n\n`);
    process.exit(1);
  }
  // One line in the run's log: which browser the end-to-end tests drove, and where it came from.
  console.log(`end-to-end browser: ${found.path} (${found.source})`);
  project.provide('chromium', found);
}
