import { describe, expect, it } from 'vitest';
import {
  E2E_DATABASES,
  eventually,
  eventuallyEvent,
  openVisitor,
  pathOf,
  sdkReady,
  useStackAndBrowser,
  workEmail,
} from './harness.ts';

describe.each(E2E_DATABASES)('a visitor journey through the demo site (%s)', (kind) => {
  const e2e = useStackAndBrowser(kind);

  it('landing → pricing → whitepaper → 3-step demo form → thank-you → book a call makes an MQL', async () => {
    const email = workEmail('jane');
    const { context, page } = await openVisitor(e2e.browser);

    await page.goto(`${e2e.stack.site.url}/`);
    await sdkReady(page);
    await page.click('header nav a[href="/pricing.html"]');
    await page.waitForURL('**/pricing.html');

    await page.click('header nav a[href="/whitepaper.html"]');
    await page.fill('#gate-email', email);
    await page.fill('#gate-company', 'Northwind');
    await page.click('#gate button[type="submit"]');
    await page.waitForURL('**/whitepaper.html?access=granted');
    const download = page.waitForEvent('download');
    await page.click('#download a[data-lb-download]');
    await download;

    await page.click('header nav a[href="/demo.html"]');
    await page.fill('#first-name', 'Jane');
    await page.fill('#last-name', 'Doe');
    await page.fill('#email', email);
    await page.click('fieldset[data-lb-step="contact"] [data-next]');
    await page.fill('#company', 'Northwind');
    await page.selectOption('#size', { index: 1 });
    await page.selectOption('#role', { index: 1 });
    await page.click('fieldset[data-lb-step="company"] [data-next]');
    await page.selectOption('#timeline', { index: 1 });
    await page.click('fieldset[data-lb-step="needs"] button[type="submit"]');
    await page.waitForURL('**/thank-you.html');
    await sdkReady(page);
    await page.click('[data-lb-action="book-call"]');

    // scoring.json: pricing 15 + whitepaper 25 + 3 demo steps × 5 + submit 50 + thank-you 10 + book-call 20.
    const events = await eventuallyEvent(
      e2e.stack.client,
      email,
      'the book-call action',
      (e) => e.type === 'action',
    );
    const lead = await eventually('the lead to be an MQL', async () => {
      const read = await e2e.stack.client.getLead(email);
      return read.ok && read.value.mql ? read.value : undefined;
    });
    expect(lead).toMatchObject({ email, mql: true, stage: 'mql' });
    const points = Object.fromEntries(
      lead.breakdown.map((rule) => [rule.ruleId, [rule.events, rule.rawPoints]]),
    );
    expect(points).toMatchObject({
      pricing: [1, 15],
      whitepaper: [1, 25],
      'demo-step': [3, 15],
      demo: [1, 50],
      'thank-you': [1, 10],
      'book-call': [1, 20],
    });
    expect(lead.score).toBeCloseTo(135, 0);
    expect(lead.devices.count).toBe(1);

    const pages = events.filter((e) => e.type === 'page_view').map(pathOf);
    expect(pages).toEqual(
      expect.arrayContaining(['/', '/pricing.html', '/whitepaper.html', '/demo.html', '/thank-you.html']),
    );
    const steps = events.filter((e) => e.type === 'form_step' && e.form === 'demo-request');
    expect(steps.map((e) => e.stepName)).toEqual(['contact', 'company', 'needs']);
    // Form field values never leave the browser, except the email of identify.
    const sent = JSON.stringify(events);
    expect(sent).not.toContain('Northwind');
    expect(sent).not.toContain('Doe');

    const mqlHook = await eventually('the lead.mql webhook', async () =>
      e2e.stack.webhooks.find(
        (hook) => hook.type === 'lead.mql' && (hook.data.lead as { id?: string }).id === lead.id,
      ),
    );
    expect(mqlHook.data.lead).toMatchObject({ id: lead.id, email, mql: true });
    await context.close();
  });

  it('a second browser identifying the same email joins the same lead (2 devices)', async () => {
    const email = workEmail('sam');
    const passGate = async () => {
      const visitor = await openVisitor(e2e.browser);
      await visitor.page.goto(`${e2e.stack.site.url}/whitepaper.html`);
      await sdkReady(visitor.page);
      await visitor.page.fill('#gate-email', email);
      await visitor.page.fill('#gate-company', 'Globex');
      await visitor.page.click('#gate button[type="submit"]');
      await visitor.page.waitForURL('**/whitepaper.html?access=granted');
      return visitor;
    };
    const laptop = await passGate();
    await eventuallyEvent(e2e.stack.client, email, 'the laptop identified', (e) => e.type === 'identify');
    const phone = await passGate();

    const lead = await eventually('a second device on the lead', async () => {
      const read = await e2e.stack.client.getLead(email);
      return read.ok && read.value.devices.count === 2 ? read.value : undefined;
    });
    expect(lead.email).toBe(email);
    const [laptopId, phoneId] = await Promise.all(
      [laptop, phone].map(({ page }) => page.evaluate(() => localStorage.getItem('lb_id'))),
    );
    // The SDK keeps the anonymous id as JSON in localStorage.
    expect(lead.devices.list.map((device) => device.anonymousId).sort()).toEqual(
      [JSON.parse(laptopId ?? 'null'), JSON.parse(phoneId ?? 'null')].sort(),
    );
    const sessions = await e2e.stack.client.leadSessions(email);
    expect(sessions.ok && new Set(sessions.value.map((s) => s.anonymousId)).size).toBe(2);
    await Promise.all([laptop.context.close(), phone.context.close()]);
  });
});
