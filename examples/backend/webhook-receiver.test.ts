import type { WebhookEvent } from '@leadbeam/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../collector/src/webhooks/sign.ts';
import { describeEvent, type RunningReceiver, startWebhookReceiver } from './webhook-receiver.ts';

const SECRET = 'whsec_receiver_test_secret';
const event: WebhookEvent = {
  id: 'evt-42',
  type: 'lead.mql',
  createdAt: '2026-11-23T10:00:00.000Z',
  data: {
    lead: { id: 'lead-1', email: 'jane@acme.test', score: 135, mql: true, stage: 'mql' },
    cause: 'score',
  },
};
const body = JSON.stringify(event);
const now = () => Math.floor(Date.now() / 1000);

describe('the webhook receiver', () => {
  let receiver: RunningReceiver;
  const received: WebhookEvent[] = [];
  const post = (payload: string, signature: string | null) =>
    fetch(`${receiver.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === null ? {} : { 'leadbeam-signature': signature }),
        'leadbeam-delivery': 'dlv-1',
        'leadbeam-event': 'lead.mql',
      },
      body: payload,
    });

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret: SECRET, onEvent: (e) => void received.push(e) });
  });
  afterAll(() => receiver.close());

  it('answers 400 to a bad, missing or stale signature and handles nothing', async () => {
    expect((await post(body, signWebhook('whsec_wrong', body, now()))).status).toBe(400);
    expect((await post(body.replace('135', '999'), signWebhook(SECRET, body, now()))).status).toBe(400);
    expect((await post(body, null)).status).toBe(400);
    const stale = await post(body, signWebhook(SECRET, body, now() - 3600));
    expect(stale.status).toBe(400);
    expect(await stale.json()).toEqual({ error: 'timestamp_outside_tolerance' });
    expect(received).toEqual([]);
  });

  it('answers 200 to a good signature and handles a retried event once', async () => {
    const first = await post(body, signWebhook(SECRET, body, now()));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: 'evt-42' });
    expect((await post(body, signWebhook(SECRET, body, now()))).status).toBe(200);
    expect(received).toEqual([event]);
  });

  it('prints one line per event', () => {
    expect(describeEvent(event)).toBe(
      '2026-11-23T10:00:00.000Z  lead.mql            jane@acme.test  (score 135, stage mql)',
    );
  });
});
