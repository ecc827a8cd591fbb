import { createLeadbeamClient } from '@leadbeam/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCollector, page, type TestCollector } from '../../collector/src/testing/test-collector.ts';
import { formatMqls, readMqls } from './list-mqls.ts';

describe('list-mqls', () => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector('pglite');
    const signals = (email: string, extra: Parameters<typeof page>[1] = {}) =>
      t.send({
        anonymousId: `device-${email.replace('@', '.')}`,
        sessionId: `session-${email.replace('@', '.')}`,
        events: [
          { type: 'identify', email },
          page('/pricing', extra),
          { type: 'form_submit', form: 'demo-request', url: 'https://acme.test/demo' },
          { type: 'thank_you', conversion: 'demo-request', url: 'https://acme.test/thank-you' },
          { type: 'action', name: 'book-call', url: 'https://acme.test/thank-you' },
        ],
      });
    expect(await signals('jane@acme.test')).toMatchObject({ status: 200, body: { accepted: 5 } });
    await signals('joe@gmail.com');
    await t.send({ anonymousId: 'device-anon', sessionId: 'session-anon', events: [page('/')] });
  }, 60_000);
  afterAll(() => t?.close());

  it('lists the MQLs with score, stage and email, and nobody else', async () => {
    const client = createLeadbeamClient({
      baseUrl: 'http://collector.test',
      secretKey: t.site.secretKey,
      fetch: (url, init) => t.app.request(url, init),
    });
    const result = await readMqls(client);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.leads.map((lead) => lead.email)).toEqual(['jane@acme.test']);
    const printed = formatMqls(result.leads);
    expect(printed).toMatch(
      /^SCORE +STAGE +EMAIL +MQL SINCE\n105\.0 +mql +jane@acme\.test +2026-11-23T10:00:00\.000Z\n\n1 MQL$/,
    );
  });

  it('tells a wrong key apart from an empty list', async () => {
    const client = createLeadbeamClient({
      baseUrl: 'http://collector.test',
      secretKey: 'sk_wrong',
      fetch: (url, init) => t.app.request(url, init),
    });
    expect(await readMqls(client)).toMatchObject({ ok: false, error: { status: 401, code: 'unauthorized' } });
    expect(formatMqls([])).toBe('No MQLs yet.');
  });
});
