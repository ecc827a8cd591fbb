/** The scoring rules the bench scores with: the demo site's, as DESIGN.md describes them. */
export const BENCH_RULES = {
  halfLife: '30d',
  mql: { threshold: 100, exitThreshold: 70, requireEmail: true, excludeEmailDomains: ['gmail.com'] },
  rules: [
    {
      id: 'pricing',
      on: 'page_view',
      match: { path: '/pricing*' },
      points: 15,
      limit: { count: 3, per: '1d' },
    },
    { id: 'whitepaper', on: 'download', match: { tag: 'whitepaper' }, points: 25, halfLife: '60d' },
    { id: 'demo-step', on: 'form_step', match: { form: 'demo-request' }, points: 5 },
    { id: 'demo', on: 'form_submit', match: { form: 'demo-request' }, points: 40 },
    { id: 'thank-you', on: 'thank_you', points: 20 },
    { id: 'book-call', on: 'action', match: { name: 'book-call' }, points: 30 },
    { id: 'careers', on: 'page_view', match: { path: '/careers*' }, points: -30 },
  ],
};

/**
 * The same rules after a marketer's edit: pricing and the demo form count for more, and a case
 * study download is a new signal. The re-score bench publishes these over a scored site.
 */
export const BENCH_RULES_CHANGED = {
  ...BENCH_RULES,
  rules: [
    ...BENCH_RULES.rules.map((rule) =>
      rule.id === 'pricing' ? { ...rule, points: 20 } : rule.id === 'demo' ? { ...rule, points: 50 } : rule,
    ),
    { id: 'case-study', on: 'download', match: { tag: 'case-study' }, points: 15 },
  ],
};
