import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../api/api-test-kit.ts';
import { webhookDeliveries, webhooks } from '../db/schema.ts';
import { silentLogger } from '../logger.ts';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import type { Resolve } from './checked-lookup.ts';
import { createWebhookDispatcher } from './dispatcher.ts';
import { type LocalReceiver, startLocalReceiver } from './receiver-kit.ts';

/** Answers a public address to the first lookup of a name and 127.0.0.1 to every later one. */
function rebindingResolver() {
  let calls = 0;
  const resolve: Resolve = async () => {
    calls++;
    return [{ address: calls === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
  };
  return { resolve, calls: () => calls };
}

/** Every spelling of "this machine" a site owner might try; the receiver listens on 127.0.0.1. */
const LOOPBACK_SPELLINGS = [
  'http://[::ffff:127.0.0.1]:PORT/hook',
  'http://[0:0:0:0:0:ffff:127.0.0.1]:PORT/hook',
  'http://[::FFFF:7F00:1]:PORT/hook',
  'http://2130706433:PORT/hook',
  'http://0x7f.1:PORT/hook',
  'http://0177.0.0.1:PORT/hook',
  'http://127.1:PORT/hook',
  'http://localhost:PORT/hook',
];

describe.each(DATABASE_KINDS)('webhook deliveries to private targets on %s', (kind) => {
  let t: TestCollector;
  let receiver: LocalReceiver;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    receiver = await startLocalReceiver();
    api = apiClient(t);
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  /**
   * Stores a webhook and one due delivery as a row written before registration checked targets
   * would be, runs one dispatch and answers the delivery as the API's log shows it.
   */
  async function deliverOnce(url: string, options: { publicTargetsOnly: boolean; resolve?: Resolve }) {
    const webhookId = `wh_${randomUUID().slice(0, 8)}`;
    await t.db.insert(webhooks).values({
      siteId: t.site.id,
      id: webhookId,
      url: url.replace('PORT', String(receiver.port)),
      secretCiphertext: t.app.box.seal('whsec_test'),
      eventTypes: ['lead.mql'],
    });
    await t.db.insert(webhookDeliveries).values({
      siteId: t.site.id,
      id: `whd_${randomUUID().slice(0, 8)}`,
      webhookId,
      eventType: 'lead.mql',
      payload: { lead: { email: 'kim@acme.test' } },
      nextAttemptAt: new Date(0),
    });
    const dispatcher = createWebhookDispatcher({
      db: t.db,
      box: t.app.box,
      clock: t.clock,
      logger: silentLogger,
      timeoutMs: 2_000,
      ...options,
    });
    expect(await dispatcher.runOnce()).toBe(1);
    const log = await api('GET', `/v1/webhooks/${webhookId}/deliveries`);
    return log.body.data[0];
  }

  it.each(LOOPBACK_SPELLINGS)(
    'refuses %s for good, and the receiver never sees a connection',
    async (url) => {
      const before = receiver.connections();
      const delivery = await deliverOnce(url, { publicTargetsOnly: true });
      expect(delivery).toMatchObject({
        status: 'failed',
        attempts: 1,
        lastStatus: null,
        lastError: expect.stringMatching(
          /^refused: .*(loopback|local).*LEADBEAM_WEBHOOK_PRIVATE_TARGETS=true/,
        ),
        nextAttemptAt: null,
      });
      expect(delivery.lastError).not.toContain(String(receiver.port));
      expect(receiver.connections()).toBe(before);
    },
  );

  it.each(LOOPBACK_SPELLINGS)('delivers to %s when private targets are allowed', async (url) => {
    const before = receiver.received.length;
    const delivery = await deliverOnce(url, { publicTargetsOnly: false });
    expect(delivery).toMatchObject({ status: 'delivered', lastStatus: 200 });
    expect(receiver.received.length).toBe(before + 1);
  });

  it('checks the answer the socket connects to: a name rebound to 127.0.0.1 is refused', async () => {
    const before = receiver.connections();
    const dns = rebindingResolver();
    // Whoever looked the name up first (a check made before connecting) was told a public address.
    expect(await dns.resolve('rebind.attacker.test')).toEqual([{ address: '93.184.216.34', family: 4 }]);
    const delivery = await deliverOnce('http://rebind.attacker.test:PORT/hook', {
      publicTargetsOnly: true,
      resolve: dns.resolve,
    });
    expect(delivery).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/^refused: the host name resolves to a private/),
    });
    expect(dns.calls()).toBe(2);
    expect(receiver.connections()).toBe(before);
  });

  it('dials exactly what the lookup answered (so a rebound name would reach 127.0.0.1 if allowed)', async () => {
    const before = receiver.received.length;
    const dns = rebindingResolver();
    await dns.resolve('rebind.attacker.test');
    const delivery = await deliverOnce('http://rebind.attacker.test:PORT/hook', {
      publicTargetsOnly: false,
      resolve: dns.resolve,
    });
    expect(delivery).toMatchObject({ status: 'delivered' });
    expect(dns.calls()).toBe(2);
    expect(receiver.received.length).toBe(before + 1);
    expect(receiver.received.at(-1)?.headers.host).toBe(`rebind.attacker.test:${receiver.port}`);
  });

  it('refuses a stored URL carrying CR/LF even when private targets are allowed', async () => {
    const before = receiver.connections();
    const delivery = await deliverOnce('http://127.0.0.1:PORT/hook\r\nX-Injected: 1', {
      publicTargetsOnly: false,
    });
    expect(delivery).toMatchObject({
      status: 'failed',
      lastError: 'refused: the webhook URL must not contain control characters (such as CR, LF or tab)',
    });
    expect(receiver.connections()).toBe(before);
  });
});
