import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../../collector/src/webhooks/sign.ts';
import { verifyWebhook } from './verify-webhook.ts';

const SECRET = 'whsec_test_secret_0123456789';
const NOW = Date.parse('2026-11-23T10:00:00.000Z');
const T = NOW / 1000;
const body = JSON.stringify({
  id: 'evt-1',
  type: 'lead.mql',
  createdAt: '2026-11-23T10:00:00.000Z',
  data: { lead: { id: 'lead-1', email: 'jane@acme.test', score: 105, mql: true, stage: 'mql' } },
});
const headers = (signature: string) => ({
  'leadbeam-signature': signature,
  'leadbeam-delivery': 'dlv-1',
  'leadbeam-event': 'lead.mql',
});
const v1Of = (signature: string) => signature.split(',v1=')[1] as string;

describe('verifyWebhook', () => {
  it('accepts a delivery signed by the collector, from a Headers object or a Node header record', () => {
    const signature = signWebhook(SECRET, body, T);
    const expected = {
      ok: true,
      event: { id: 'evt-1', type: 'lead.mql', data: { lead: { email: 'jane@acme.test' } } },
      deliveryId: 'dlv-1',
    };
    expect(verifyWebhook(SECRET, headers(signature), body, { now: NOW })).toMatchObject(expected);
    expect(verifyWebhook(SECRET, new Headers(headers(signature)), body, { now: NOW })).toMatchObject(
      expected,
    );
    expect(verifyWebhook(SECRET, headers(signature), Buffer.from(body), { now: NOW })).toMatchObject(
      expected,
    );
  });

  it('refuses a tampered body', () => {
    const signature = signWebhook(SECRET, body, T);
    const tampered = body.replace('"score":105', '"score":999');
    expect(verifyWebhook(SECRET, headers(signature), tampered, { now: NOW })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    // The raw bytes are signed: re-serialised JSON with other spacing does not verify.
    const respaced = JSON.stringify(JSON.parse(body), null, 2);
    expect(verifyWebhook(SECRET, headers(signature), respaced, { now: NOW }).ok).toBe(false);
  });

  it('refuses another secret, and a signature moved to another time', () => {
    const signature = signWebhook(SECRET, body, T);
    expect(verifyWebhook('whsec_other', headers(signature), body, { now: NOW })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    const moved = `t=${T + 1},v1=${v1Of(signature)}`;
    expect(verifyWebhook(SECRET, headers(moved), body, { now: NOW })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
  });

  it('refuses a signature outside the tolerance window, either way', () => {
    const old = signWebhook(SECRET, body, T - 301);
    expect(verifyWebhook(SECRET, headers(old), body, { now: NOW })).toEqual({
      ok: false,
      reason: 'timestamp_outside_tolerance',
    });
    const ahead = signWebhook(SECRET, body, T + 301);
    expect(verifyWebhook(SECRET, headers(ahead), body, { now: NOW }).ok).toBe(false);
    expect(verifyWebhook(SECRET, headers(signWebhook(SECRET, body, T - 300)), body, { now: NOW }).ok).toBe(
      true,
    );
    expect(verifyWebhook(SECRET, headers(old), body, { now: NOW, toleranceSeconds: 600 }).ok).toBe(true);
  });

  it('refuses missing and malformed headers', () => {
    const good = v1Of(signWebhook(SECRET, body, T));
    expect(verifyWebhook(SECRET, {}, body, { now: NOW })).toEqual({ ok: false, reason: 'missing_signature' });
    for (const malformed of [
      'nonsense',
      `v1=${good}`,
      `t=${T}`,
      `t=soon,v1=${good}`,
      `t=${T},v1=abc`,
      `t=${T},v1=${good.replace(/./, 'z')}`,
      `t=${T},t=${T},v1=${good}`,
      `t=-${T},v1=${good}`,
    ]) {
      expect(verifyWebhook(SECRET, headers(malformed), body, { now: NOW }), malformed).toEqual({
        ok: false,
        reason: 'malformed_signature',
      });
    }
  });

  it('accepts any of several v1 signatures and any of several secrets (rotation)', () => {
    const current = v1Of(signWebhook(SECRET, body, T));
    const previous = v1Of(signWebhook('whsec_previous', body, T));
    const both = `t=${T},v1=${previous},v1=${current}`;
    expect(verifyWebhook(SECRET, headers(both), body, { now: NOW }).ok).toBe(true);
    expect(verifyWebhook('whsec_previous', headers(both), body, { now: NOW }).ok).toBe(true);
    expect(verifyWebhook('whsec_third', headers(both), body, { now: NOW }).ok).toBe(false);
    const single = signWebhook('whsec_previous', body, T);
    expect(verifyWebhook(['whsec_new', 'whsec_previous'], headers(single), body, { now: NOW }).ok).toBe(true);
  });

  it('ignores signature schemes it does not know', () => {
    const signature = `${signWebhook(SECRET, body, T)},v0=deadbeef`;
    expect(verifyWebhook(SECRET, headers(signature), body, { now: NOW }).ok).toBe(true);
  });

  it('refuses a correctly signed body that is not a Leadbeam event', () => {
    const junk = '{"hello":"world"}';
    expect(verifyWebhook(SECRET, headers(signWebhook(SECRET, junk, T)), junk, { now: NOW })).toEqual({
      ok: false,
      reason: 'invalid_payload',
    });
  });
});
