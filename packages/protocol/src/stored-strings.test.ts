import { describe, expect, it } from 'vitest';
import { validateBatch } from './validate-batch.ts';

/*
 * What is stored for each string field that arrives with control characters: URLs lose them,
 * free text gets a space for each run of line breaks, and the event is kept.
 */

const id = '6f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const ts = '2026-11-23T10:00:05.000Z';
const url = 'https://acme.test/pricing';

function stored(event: Record<string, unknown>, context?: Record<string, unknown>) {
  const result = validateBatch({
    site: 'pk_live_acme',
    anonymousId: 'V1StGXR8_Z5jdHi6B-myT',
    sessionId: 'sess_k3J9xQ2m',
    sentAt: ts,
    ...(context ? { context } : {}),
    events: [{ id, ts, ...event }],
  });
  if (!result.ok) throw new Error(result.message);
  expect(result.rejected).toEqual([]);
  return { event: result.events[0]?.event as Record<string, unknown>, context: result.envelope.context };
}

describe('control characters are cleaned out of every stored string', () => {
  it('page URL: removed outright, so the stored path is the real one', () => {
    const { event } = stored({ type: 'page_view', url: 'https://acme.test/pri\r\ncing\u0000?q=1\t' });
    expect(event.url).toBe('https://acme.test/pricing?q=1');
  });

  it('title: a line break becomes a space, a NUL and a right-to-left override go', () => {
    const { event } = stored({ type: 'page_view', url, title: 'Pricing\r\n| Acme\u0000\u202e' });
    expect(event.title).toBe('Pricing | Acme');
  });

  it('referrer: removed outright', () => {
    const { event } = stored({ type: 'page_view', url, referrer: 'https://www.google.com/\n\u0085search' });
    expect(event.referrer).toBe('https://www.google.com/search');
  });

  it('referrer made only of control characters: stored as the empty referrer', () => {
    const { event } = stored({ type: 'page_view', url, referrer: '\r\n' });
    expect(event.referrer).toBe('');
  });

  it('tag: removed outright', () => {
    const { event } = stored({ type: 'page_view', url, tags: ['high\n-intent', '\u009bpricing'] });
    expect(event.tags).toEqual(['high-intent', 'pricing']);
  });

  it('download href: removed outright', () => {
    const { event } = stored({ type: 'download', url, href: 'https://acme.test/\u0007whitepaper.pdf' });
    expect(event.href).toBe('https://acme.test/whitepaper.pdf');
  });

  it('form and step names: a line break becomes a space', () => {
    const { event } = stored({
      type: 'form_step',
      url,
      form: 'demo\nrequest',
      step: 1,
      stepName: 'You\u0000r\tcompany',
    });
    expect(event).toMatchObject({ form: 'demo request', stepName: 'Your company' });
  });

  it('conversion and action names: a line break becomes a space, escapes go', () => {
    expect(stored({ type: 'thank_you', url, conversion: 'demo\r\nbooked' }).event.conversion).toBe(
      'demo booked',
    );
    expect(stored({ type: 'action', url, name: '\u001b[2Kbook-call' }).event.name).toBe('[2Kbook-call');
  });

  it('trait keys and values: cleaned like names', () => {
    const { event } = stored({
      type: 'identify',
      email: 'jane@acme.test',
      traits: { 'com\u0000pany': 'Acme\r\nInc\u202e', plan: 'pro' },
    });
    expect(event.traits).toEqual({ company: 'Acme Inc', plan: 'pro' });
  });

  it('track name, prop keys and values: cleaned like names', () => {
    const { event } = stored({
      type: 'track',
      name: 'signup\n',
      props: { 'pl\tan': 'pro\u0085team', seats: 5 },
    });
    expect(event).toMatchObject({ name: 'signup ', props: { 'pl an': 'pro team', seats: 5 } });
  });

  it('context strings: locale, timezone and UTM values are cleaned like names', () => {
    const { context } = stored(
      { type: 'page_view', url },
      {
        locale: 'en-GB\u0000',
        timezone: 'Europe/\nLondon',
        utm: { source: 'link\r\nedin', campaign: 'q4\u009b' },
      },
    );
    expect(context).toEqual({
      locale: 'en-GB',
      timezone: 'Europe/ London',
      utm: { source: 'link edin', campaign: 'q4' },
    });
  });
});

describe('a field that is nothing but control characters', () => {
  it('refuses a name left empty, naming the field', () => {
    const result = validateBatch({
      site: 'pk_live_acme',
      anonymousId: 'V1StGXR8_Z5jdHi6B-myT',
      sessionId: 'sess_k3J9xQ2m',
      sentAt: ts,
      events: [{ id, ts, type: 'action', url, name: '\u0000\u0001' }],
    });
    expect(result.ok && result.rejected).toEqual([
      { index: 0, code: 'invalid_event', message: 'events.0.name: must hold more than control characters' },
    ]);
  });

  it('refuses a URL left empty', () => {
    const result = validateBatch({
      site: 'pk_live_acme',
      anonymousId: 'V1StGXR8_Z5jdHi6B-myT',
      sessionId: 'sess_k3J9xQ2m',
      sentAt: ts,
      events: [{ id, ts, type: 'page_view', url: '\r\n' }],
    });
    expect(result.ok && result.rejected[0]?.message).toBe('events.0.url: must be an absolute http(s) URL');
  });
});
