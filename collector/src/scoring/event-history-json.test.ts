import { describe, expect, it } from 'vitest';
import { scorableHistory } from './event-history-json.ts';
import { toScorable } from './stored-event.ts';

describe('scorableHistory', () => {
  it('reads the aggregated tuples as toScorable reads event rows', () => {
    const rows = [
      {
        type: 'page_view',
        tsMs: 1767052260000.5,
        url: 'https://acme.test/pricing',
        path: '/pricing',
        data: { tags: ['pricing'], utm: { source: 'x' } },
      },
      {
        type: 'form_step',
        tsMs: 1767052560000,
        url: null,
        path: null,
        data: { form: 'demo-request', step: 2, stepName: 'company' },
      },
      {
        type: 'download',
        tsMs: 1767052380000,
        url: 'https://acme.test/r',
        path: '/r',
        data: { href: 'https://acme.test/g.pdf', tags: 'not-a-list' },
      },
      {
        type: 'action',
        tsMs: 1767052740000,
        url: null,
        path: '/demo',
        data: { name: 'book-call', conversion: 3 },
      },
    ];
    const json = JSON.stringify(rows.map((r) => [r.type, r.tsMs, r.url, r.path, r.data]));
    expect(scorableHistory(json)).toEqual(rows.map(toScorable));
  });

  it('is empty for a lead without events', () => {
    expect(scorableHistory('[]')).toEqual([]);
  });
});
