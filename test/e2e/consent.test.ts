import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventsOf,
  eventuallyEvent,
  hidePage,
  identifyIn,
  type LeadbeamWindow,
  openVisitor,
  pathOf,
  sdkReady,
  trackIn,
  useStackAndBrowser,
  workEmail,
} from './harness.ts';

describe('consent mode (data-consent="required")', () => {
  const e2e = useStackAndBrowser();
  let consentSite: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    consentSite = await serveConsentVariant(e2e.stack.site.url);
  });
  afterAll(async () => {
    await consentSite?.close();
  });

  it('sends and stores nothing before leadbeam.consent(true), and everything after', async () => {
    const email = workEmail('noor');
    const { context, page } = await openVisitor(e2e.browser);
    const beacons: Request[] = [];
    context.on('request', (request) => {
      if (request.url().startsWith(`${e2e.stack.collectorUrl}/v1/collect`)) beacons.push(request);
    });

    await page.goto(`${consentSite.url}/pricing.html`);
    expect(await page.locator('script[data-consent="required"]').count()).toBe(1);
    await sdkReady(page);
    await identifyIn(page, email);
    await trackIn(page, 'before-consent');
    await hidePage(page);
    // A request of our own after the page was hidden: had the SDK sent anything, it would have gone first.
    expect(await page.evaluate(() => fetch('/style.css').then((r) => r.status))).toBe(200);
    expect(beacons).toEqual([]);
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('lb_'))),
    ).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).not.toContain('lb_');
    expect(await e2e.stack.client.getLead(email)).toMatchObject({ ok: false, error: { code: 'not_found' } });

    await page.evaluate(() => (window as unknown as LeadbeamWindow).leadbeam.consent(true));
    await trackIn(page, 'after-consent');
    await eventuallyEvent(
      e2e.stack.client,
      email,
      'the events after consent',
      (e) => e.name === 'after-consent',
    );
    const events = await eventsOf(e2e.stack.client, email);
    expect(
      events.map((e) => (e.type === 'page_view' ? `page_view ${pathOf(e)}` : (e.name ?? e.type))),
    ).toEqual(['page_view /pricing.html', 'identify', 'before-consent', 'after-consent']);
    expect(beacons.length).toBeGreaterThan(0);
    await context.close();
  });
});

/**
 * The demo site with its tag switched to consent mode, served from 127.0.0.1 (a page rewritten by
 * Playwright's routing would count as public and be refused loopback requests by Chromium's
 * local network access checks). Everything else passes through unchanged.
 */
async function serveConsentVariant(siteUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    const upstream = await fetch(new URL(request.url ?? '/', siteUrl));
    const type = upstream.headers.get('content-type') ?? 'application/octet-stream';
    let body = Buffer.from(await upstream.arrayBuffer());
    if (type.startsWith('text/html')) {
      body = Buffer.from(
        body.toString('utf8').replace('<script async ', '<script async data-consent="required" '),
      );
    }
    response.writeHead(upstream.status, { 'content-type': type, 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
