import { describe, expect, it } from 'vitest';
import {
  eventually,
  eventuallyEvent,
  identifyIn,
  openVisitor,
  pathOf,
  sdkReady,
  trackIn,
  useStackAndBrowser,
  workEmail,
} from './harness.ts';

describe('the single-page docs', () => {
  const e2e = useStackAndBrowser();

  it('counts a pushState navigation as exactly one page view', async () => {
    const email = workEmail('ari');
    const { context, page } = await openVisitor(e2e.browser);
    await page.goto(`${e2e.stack.site.url}/app/`);
    await sdkReady(page);
    await identifyIn(page, email);

    await page.click('.docs-nav a[href="/app/quickstart"]');
    await page.waitForURL('**/app/quickstart');
    await page.waitForFunction(() => document.title.startsWith('Quickstart'));
    // The same route again is no navigation.
    await page.click('.docs-nav a[href="/app/quickstart"]');
    await trackIn(page, 'spa-checked');

    const events = await eventuallyEvent(
      e2e.stack.client,
      email,
      'the marker',
      (e) => e.name === 'spa-checked',
    );
    const views = events.filter((e) => e.type === 'page_view');
    expect(views.map(pathOf)).toEqual(['/app/', '/app/quickstart']);
    expect(views[1]).toMatchObject({ title: 'Quickstart — Acme Pipelines' });
    expect(String(views[1]?.referrer)).toMatch(/\/app\/$/);

    // scoring.json: docs page views score 2 each.
    const lead = await eventually('the lead', async () => {
      const read = await e2e.stack.client.getLead(email);
      return read.ok ? read.value : undefined;
    });
    expect(lead.breakdown.find((rule) => rule.ruleId === 'docs')).toMatchObject({ events: 2, rawPoints: 4 });
    await context.close();
  });
});
