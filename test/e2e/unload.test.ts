import { describe, expect, it } from 'vitest';
import {
  eventuallyEvent,
  identifyIn,
  openVisitor,
  sdkReady,
  useStackAndBrowser,
  workEmail,
} from './harness.ts';

describe('nothing is lost when the page goes away', () => {
  const e2e = useStackAndBrowser();

  it('a click on a download link is delivered even when the tab is closed right after', async () => {
    const email = workEmail('dana');
    const { context, page } = await openVisitor(e2e.browser);
    await page.goto(`${e2e.stack.site.url}/whitepaper.html?access=granted`);
    await sdkReady(page);
    await identifyIn(page, email);
    await page.click('#download a[data-lb-download]');
    await page.close({ runBeforeUnload: true });

    const events = await eventuallyEvent(
      e2e.stack.client,
      email,
      'the download',
      (e) => e.type === 'download',
    );
    const download = events.find((e) => e.type === 'download');
    expect(download).toMatchObject({ tags: ['whitepaper'] });
    expect(String(download?.href)).toMatch(/\/files\/pipeline-roi-guide\.pdf$/);
    await context.close();
  });

  it('a click on a link that navigates to a page without Leadbeam is delivered', async () => {
    const email = workEmail('lee');
    const { context, page } = await openVisitor(e2e.browser);
    await page.goto(`${e2e.stack.site.url}/pricing.html`);
    await sdkReady(page);
    await identifyIn(page, email);
    // A call-to-action that leaves the site at once: no later page of ours can send it.
    const away = `${e2e.stack.collectorUrl}/healthz`;
    await page.evaluate((href) => {
      const link = Object.assign(document.createElement('a'), {
        id: 'away',
        href,
        textContent: 'Talk to sales',
      });
      link.dataset.lbAction = 'contact-sales';
      document.body.append(link);
    }, away);
    await page.click('#away');
    await page.waitForURL(away);

    const events = await eventuallyEvent(
      e2e.stack.client,
      email,
      'the contact-sales action',
      (e) => e.type === 'action',
    );
    expect(events.filter((e) => e.type === 'action').map((e) => e.name)).toEqual(['contact-sales']);
    expect(events.filter((e) => e.type === 'page_view').map((e) => e.tags)).toEqual([
      ['pricing', 'high-intent'],
    ]);
    await context.close();
  });
});
