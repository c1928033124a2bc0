import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RegisterSecretInput } from '../../shared/schemas/secrets';
import type { Running } from './harness';
import { launchChromium, openApp, PASSWORD, screenshot, seeText, startCoffer } from './harness';

/** Unlock → first secret row for a vault of 10,000 secrets. The figure is printed for the report, not asserted. */
const N = 10_000;
let browser: Browser;
let running: Running;

beforeAll(async () => {
  const secrets: RegisterSecretInput[] = Array.from({ length: N }, (_, i) => ({
    type: 'api-key',
    name: `svc-${String(i).padStart(5, '0')}-key`,
    level: 'personal',
    fields: { headerName: 'X-API-Key', value: `sk_scale_${i}_${(i * 2654435761) % 1e9}` },
  }));
  const t0 = performance.now();
  [browser, running] = await Promise.all([launchChromium(), startCoffer({ seed: { secrets } })]);
  console.log(`scale: seeded ${N} secrets (fast KDF) and launched Chromium in ${Math.round(performance.now() - t0)} ms`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

describe(`a vault of ${N} secrets`, () => {
  test('unlock to the first visible secret row', async () => {
    const { context, page } = await openApp(browser, running);
    try {
      page.setDefaultTimeout(30_000);
      await page.getByLabel(/^Password/).fill(PASSWORD);
      const unlockButton = page.getByRole('button', { name: 'Unlock', exact: true });
      await unlockButton.waitFor();
      const t0 = performance.now();
      await unlockButton.click();
      // An Account Holder lands on the Review dashboard, its figures computed over every secret.
      await page.getByTestId('count-active').waitFor({ state: 'visible' });
      const toReview = Math.round(performance.now() - t0);
      console.log(`scale: unlock → Review dashboard's figures visible, ${N} secrets: ${toReview} ms`);
      await page.getByRole('navigation', { name: 'Scopes' }).getByRole('button', { name: /^Personal/ }).click();
      await page.getByTestId('secret-row').first().waitFor({ state: 'visible' });
      const ms = Math.round(performance.now() - t0);
      console.log(`scale: unlock → Review → Personal's first secret row visible, ${N} secrets: ${ms} ms`);
      await seeText(page.getByTestId('row-count'), '10,000 of 10,000');
      await screenshot(page, 'scale-10000-light');
      expect(ms).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  }, 60_000);
});
