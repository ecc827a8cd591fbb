import { describe, expect, it } from 'vitest';
import {
  eventsOf,
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

type OutboxEvent = { id: string; type: string; url?: string; name?: string };
type Outbox = { q: { e: OutboxEvent }[] };

describe('the outbox while the collector is down', () => {
  const e2e = useStackAndBrowser();

  it('keeps events in localStorage and delivers them, once each, after a restart and a reload', async () => {
    const email = workEmail('kim');
    const { context, page } = await openVisitor(e2e.browser);
    await page.goto(`${e2e.stack.site.url}/app/`);
    await sdkReady(page);
    await identifyIn(page, email);
    await eventuallyEvent(e2e.stack.client, email, 'the visitor identified', (e) => e.type === 'identify');

    await e2e.stack.stopCollector();
    await page.click('.docs-nav a[href="/app/connectors"]');
    await page.waitForURL('**/app/connectors');
    await trackIn(page, 'read-offline');

    const waiting = await eventually('the events in the outbox', async () => {
      const outbox = JSON.parse(
        (await page.evaluate(() => localStorage.getItem('lb_q'))) ?? 'null',
      ) as Outbox | null;
      const events = outbox?.q.map((entry) => entry.e) ?? [];
      return events.some((e) => e.name === 'read-offline') ? events : undefined;
    });
    expect(waiting.map((e) => [e.type, e.name ?? new URL(e.url ?? '').pathname])).toEqual([
      ['page_view', '/app/connectors'],
      ['track', 'read-offline'],
    ]);

    await e2e.stack.restartCollector();
    await page.reload();
    const events = await eventuallyEvent(
      e2e.stack.client,
      email,
      'the queued events after the restart',
      (e) => e.name === 'read-offline',
    );
    for (const queued of waiting) expect(events.filter((e) => e.id === queued.id)).toHaveLength(1);
    // Beaconed events stay in the outbox until a fetch is acknowledged: that fetch comes after the
    // beacon's 10 s lease and any backoff the outage left, so this wait is longer than the others.
    await eventually(
      'an empty outbox',
      async () =>
        (await page.evaluate(() => localStorage.getItem('lb_q')))?.includes('read-offline')
          ? undefined
          : true,
      45_000,
    );
    // The reload's own page view is sent on its own schedule: wait for three, then check them exactly.
    const pageViews = await eventually('the reload page view', async () => {
      const views = (await eventsOf(e2e.stack.client, email))
        .filter((e) => e.type === 'page_view')
        .map(pathOf);
      return views.length >= 3 ? views : undefined;
    });
    expect(pageViews).toEqual(['/app/', '/app/connectors', '/app/connectors']);
    await context.close();
  }, 120_000);
});
