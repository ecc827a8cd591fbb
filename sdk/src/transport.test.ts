import { describe, expect, test, vi } from 'vitest';
import {
  hidePage,
  installCollector,
  load,
  openPage,
  storedId,
  storedOutbox,
  unload,
  useCleanPage,
} from './test-harness.ts';
import { classifyAnswer, DROP, RETRY } from './transport.ts';

useCleanPage();

describe('classifyAnswer', () => {
  test('retries 408, 429 and 5xx (after Retry-After when given); drops other 4xx', () => {
    expect(classifyAnswer(400, null, 0)).toBe(DROP);
    expect(classifyAnswer(401, null, 0)).toBe(DROP);
    expect(classifyAnswer(413, null, 0)).toBe(DROP);
    expect(classifyAnswer(408, null, 0)).toBe(RETRY);
    expect(classifyAnswer(500, null, 0)).toBe(RETRY);
    expect(classifyAnswer(429, null, 0)).toBe(RETRY);
    expect(classifyAnswer(429, '7', 0)).toBe(7000);
    expect(classifyAnswer(503, 'Thu, 01 Jan 1970 00:00:30 GMT', 10_000)).toBe(20_000);
    expect(classifyAnswer(400, '5', 0)).toBe(DROP);
  });
});

describe('sending', () => {
  test('events are written to the outbox first and sent after a short debounce, then removed', async () => {
    const collector = installCollector();
    const sdk = load();
    sdk.track('webinar_registered', { topic: 'scoring' });
    expect(storedOutbox().q.map((entry) => entry.e.type)).toEqual(['page_view', 'track']);
    expect(collector.fetched).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.fetched).toHaveLength(1);
    const [batch] = collector.fetched;
    expect(batch?.site).toBe('pk_test_site');
    expect(batch?.events.map((event) => event.type)).toEqual(['page_view', 'track']);
    expect(storedOutbox().q).toEqual([]);
  });

  test('the envelope carries ids, sentAt, context and the session UTM; ts is when the event happened', async () => {
    openPage('https://acme.test/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=q4&other=1');
    const collector = installCollector();
    vi.setSystemTime(new Date('2026-11-23T10:00:00.000Z'));
    load();
    await vi.advanceTimersByTimeAsync(1000);
    const [batch] = collector.fetched;
    expect(batch?.sentAt).toBe('2026-11-23T10:00:01.000Z');
    expect(batch?.events[0]?.ts).toBe('2026-11-23T10:00:00.000Z');
    expect(batch?.anonymousId).toBe(storedId());
    expect(batch?.context).toMatchObject({
      locale: navigator.language,
      screen: `${screen.width}x${screen.height}`,
      utm: { source: 'newsletter', medium: 'email', campaign: 'q4' },
    });
    expect(batch?.context?.timezone).toBeTruthy();
  });

  test('hiding the page beacons what waits, and pagehide too', async () => {
    const collector = installCollector();
    const sdk = load();
    hidePage();
    expect(collector.beaconed).toHaveLength(1);
    expect(collector.fetched).toHaveLength(0);
    sdk.track('later');
    window.dispatchEvent(new Event('pagehide'));
    expect(collector.beaconed).toHaveLength(2);
    expect(collector.beaconed[1]?.events.map((event) => event.type)).toEqual(['track']);
  });

  test('beaconed events stay in the outbox, are not resent at once, and are confirmed by fetch later', async () => {
    const collector = installCollector();
    const sdk = load();
    hidePage();
    expect(storedOutbox().q).toHaveLength(1);
    sdk.track('next');
    await vi.advanceTimersByTimeAsync(1000);
    // only the new event goes now; the beaconed page view is leased
    expect(collector.fetched.flatMap((batch) => batch.events.map((event) => event.type))).toEqual(['track']);
    await vi.advanceTimersByTimeAsync(11_000); // the lease (10 s) has ended
    expect(collector.fetched.flatMap((batch) => batch.events.map((event) => event.type))).toEqual([
      'track',
      'page_view',
    ]);
    expect(storedOutbox().q).toEqual([]);
  });

  test('falls back to fetch keepalive when sendBeacon refuses', async () => {
    const collector = installCollector();
    vi.mocked(navigator.sendBeacon).mockReturnValue(false);
    load();
    hidePage();
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.fetched).toHaveLength(1);
    expect(storedOutbox().q).toEqual([]);
  });
});

describe('retries', () => {
  test('backs off exponentially with jitter while the collector fails, keeping event ids', async () => {
    const collector = installCollector();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    collector.answers.push({ status: 500 }, { status: 502 }, { status: 500 });
    load();
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.fetched).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499); // first retry after 1 s × (1 + 0) / 2
    expect(collector.fetched).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.fetched).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999); // then 2 s / 2
    expect(collector.fetched).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.fetched).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(2000); // then 4 s / 2, which succeeds
    expect(collector.fetched).toHaveLength(4);
    const ids = collector.fetched.map((batch) => batch.events[0]?.id);
    expect(new Set(ids).size).toBe(1);
    expect(storedOutbox().q).toEqual([]);
  });

  test('a network error is retried', async () => {
    const collector = installCollector();
    const real = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementationOnce(async () => {
      throw new TypeError('Failed to fetch');
    });
    vi.mocked(fetch).mockImplementation(real);
    load();
    await vi.advanceTimersByTimeAsync(1000);
    expect(storedOutbox().q).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.fetched).toHaveLength(1);
    expect(storedOutbox().q).toEqual([]);
  });

  test('honours Retry-After in seconds on 429, also across a reload', async () => {
    const collector = installCollector();
    collector.answers.push({ status: 429, headers: { 'retry-after': '30' } });
    const first = load();
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.fetched).toHaveLength(1);
    unload(first);
    load(); // a reload 1 s later must not hammer the collector either
    await vi.advanceTimersByTimeAsync(29_999);
    expect(collector.fetched).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(collector.fetched).toHaveLength(2);
    expect(collector.fetched[1]?.events.map((event) => event.type)).toEqual(['page_view', 'page_view']);
  });

  test('honours Retry-After as an HTTP date on 503', async () => {
    const collector = installCollector();
    vi.setSystemTime(new Date('2026-11-23T10:00:00.000Z'));
    collector.answers.push({ status: 503, headers: { 'retry-after': 'Mon, 23 Nov 2026 10:01:01 GMT' } });
    load();
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(collector.fetched).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(collector.fetched).toHaveLength(2);
  });

  test('no retry on 400: the events are dropped and counted', async () => {
    const collector = installCollector();
    collector.answers.push({ status: 400, body: { error: { code: 'invalid_envelope', message: 'bad' } } });
    load();
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(collector.fetched).toHaveLength(1);
    expect(storedOutbox()).toMatchObject({ q: [], d: 1 });
  });

  test('a 200 without the collector answer (captive portal) is not an acknowledgement', async () => {
    const collector = installCollector();
    collector.answers.push({ status: 200, body: '<html>' });
    load();
    await vi.advanceTimersByTimeAsync(1000);
    expect(storedOutbox().q).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(collector.fetched).toHaveLength(2);
    expect(storedOutbox().q).toEqual([]);
  });
});

describe('no duplicates', () => {
  test('an acknowledged event is never sent again, across many sends and reloads', async () => {
    const collector = installCollector();
    let sdk = load();
    for (let i = 0; i < 5; i++) {
      sdk.track(`step_${i}`);
      await vi.advanceTimersByTimeAsync(1000);
      unload(sdk);
      sdk = load();
    }
    await vi.advanceTimersByTimeAsync(60_000);
    const sent = collector.fetched.flatMap((batch) => batch.events.map((event) => event.id));
    expect(sent.length).toBe(11);
    expect(new Set(sent).size).toBe(sent.length);
  });

  test('another tab leaves events in flight alone (lease)', async () => {
    const collector = installCollector();
    let release: () => void = () => {};
    const real = vi.mocked(fetch).getMockImplementation()!;
    vi.mocked(fetch).mockImplementationOnce(
      (...args) => new Promise((resolve) => (release = () => resolve(real(...args)))),
    );
    load();
    await vi.advanceTimersByTimeAsync(1000); // tab one sends, the answer is slow
    const tabTwo = load({ autoCapture: false });
    tabTwo.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.mocked(fetch)).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(collector.fetched).toHaveLength(1);
    expect(storedOutbox().q).toEqual([]);
  });
});
