import { eventSchema, type WireEventInput } from '@leadbeam/protocol';
import { describe, expect, it } from 'vitest';
import { extensionOfUrl, pathOfUrl, toScorableEvent } from './scorable-event.ts';

const ID = '6f1c2a8e-3b4d-4c5e-9f60-718293a4b5c6';
const wire = (event: Record<string, unknown>) =>
  eventSchema.parse({ id: ID, ts: '2026-01-01T10:00:00.000Z', ...event } as WireEventInput);

describe('toScorableEvent', () => {
  it('keeps what rules can match and derives the path', () => {
    const event = wire({
      type: 'page_view',
      url: 'https://acme.test/pricing?x=1',
      title: 'Pricing',
      tags: ['pricing'],
    });
    expect(toScorableEvent(event, 42, { source: 'google', medium: 'cpc' })).toEqual({
      type: 'page_view',
      ts: 42,
      url: 'https://acme.test/pricing?x=1',
      path: '/pricing',
      tags: ['pricing'],
      utm: { source: 'google', medium: 'cpc' },
    });
  });

  it('maps downloads with the file extension', () => {
    const event = wire({
      type: 'download',
      url: 'https://acme.test/r',
      href: 'https://acme.test/f/guide.pdf',
    });
    expect(toScorableEvent(event, 1)).toMatchObject({
      href: 'https://acme.test/f/guide.pdf',
      extension: 'pdf',
    });
  });

  it('maps form steps, submits, thank-you pages, actions, tracks and identifies', () => {
    const url = 'https://acme.test/demo';
    expect(
      toScorableEvent(
        wire({ type: 'form_step', url, form: 'demo', step: 2, stepName: 'company', steps: 3 }),
        1,
      ),
    ).toMatchObject({ form: 'demo', step: 2, stepName: 'company' });
    expect(toScorableEvent(wire({ type: 'form_submit', url, form: 'demo' }), 1)).toMatchObject({
      form: 'demo',
    });
    expect(toScorableEvent(wire({ type: 'thank_you', url, conversion: 'demo' }), 1)).toMatchObject({
      conversion: 'demo',
    });
    expect(toScorableEvent(wire({ type: 'action', url, name: 'book-call' }), 1)).toMatchObject({
      name: 'book-call',
    });
    expect(toScorableEvent(wire({ type: 'track', name: 'webinar_registered' }), 1)).toEqual({
      type: 'track',
      ts: 1,
      name: 'webinar_registered',
    });
    expect(toScorableEvent(wire({ type: 'identify', email: 'Jane@Acme.test' }), 1)).toEqual({
      type: 'identify',
      ts: 1,
    });
  });
});

describe('pathOfUrl and extensionOfUrl', () => {
  it.each([
    ['https://acme.test', '/'],
    ['https://acme.test?x=/y', '/'],
    ['https://acme.test#/route', '/'],
    ['https://acme.test/a/b?c#d', '/a/b'],
  ])('%s has path %s', (url, path) => {
    expect(pathOfUrl(url)).toBe(path);
  });

  it('reads extensions only from the last path segment', () => {
    expect(extensionOfUrl('https://acme.test/f/Guide.PDF')).toBe('pdf');
    expect(extensionOfUrl('https://acme.test/v1.2/guide')).toBeUndefined();
    expect(extensionOfUrl('https://acme.test/f/guide')).toBeUndefined();
  });
});
