import type { ScoringRulesInput } from './rules-schema.ts';

/**
 * The rule set a new site starts with: a typical B2B funnel where reading about price, taking
 * gated content and asking for a demo mean buying interest, and job hunting does not. A lead
 * qualifies (100) with e.g. a demo request (5+5+40+20) plus two pricing visits, or a whitepaper, a
 * webinar and a few pricing visits; points halve every 30 days (60 for content and webinars,
 * which buyers take in early). Freemail addresses never qualify.
 */
export const DEFAULT_SCORING_RULES: ScoringRulesInput = {
  halfLife: '30d',
  mql: {
    threshold: 100,
    exitThreshold: 70,
    requireEmail: true,
    excludeEmailDomains: [
      'gmail.com',
      'googlemail.com',
      'yahoo.com',
      'hotmail.com',
      'outlook.com',
      'live.com',
      'msn.com',
      'aol.com',
      'icloud.com',
      'me.com',
      'gmx.com',
      'proton.me',
      'protonmail.com',
      'yandex.com',
      'mail.com',
    ],
  },
  rules: [
    // High-value pages
    {
      id: 'pricing',
      on: 'page_view',
      match: { path: '/pricing*' },
      points: 15,
      limit: { count: 3, per: '1d' },
    },
    {
      id: 'high-intent-page',
      on: 'page_view',
      match: { tag: 'high-intent' },
      points: 10,
      limit: { count: 2, per: '1d' },
    },
    {
      id: 'case-study-page',
      on: 'page_view',
      match: { tag: 'case-study' },
      points: 5,
      limit: { count: 2, per: '1d' },
      max: 20,
    },
    {
      id: 'security-page',
      on: 'page_view',
      match: { path: '/security*' },
      points: 10,
      limit: { count: 1, per: '1w' },
    },
    // Gated content
    { id: 'whitepaper', on: 'download', match: { tag: 'whitepaper' }, points: 25, halfLife: '60d' },
    { id: 'case-study-download', on: 'download', match: { tag: 'case-study' }, points: 15, halfLife: '60d' },
    // Demo request: each step, the submit, then the thank-you page and the action offered on it
    {
      id: 'demo-step',
      on: 'form_step',
      match: { form: 'demo*' },
      points: 5,
      limit: { count: 5, per: '1d' },
    },
    { id: 'demo-request', on: 'form_submit', match: { form: 'demo*' }, points: 40 },
    { id: 'contact-request', on: 'form_submit', match: { form: 'contact*' }, points: 30 },
    {
      id: 'newsletter-signup',
      on: 'form_submit',
      match: { form: 'newsletter*' },
      points: 5,
      limit: { count: 1, per: '30d' },
    },
    { id: 'thank-you', on: 'thank_you', points: 20, limit: { count: 3, per: '1d' } },
    { id: 'book-call', on: 'action', match: { name: 'book-*' }, points: 30 },
    // Webinars (track events sent by the site or its webinar tool)
    { id: 'webinar-registered', on: 'track', match: { name: 'webinar_registered' }, points: 15 },
    { id: 'webinar-attended', on: 'track', match: { name: 'webinar_attended' }, points: 25, halfLife: '60d' },
    // Giving an email is a signal once; signing in again is not
    { id: 'identified', on: 'identify', points: 10, limit: { count: 1, per: '30d' } },
    // Job seekers are not buyers
    {
      id: 'careers',
      on: 'page_view',
      match: { path: '/careers*' },
      points: -30,
      limit: { count: 2, per: '1d' },
      max: 90,
    },
    {
      id: 'jobs',
      on: 'page_view',
      match: { path: '/jobs*' },
      points: -30,
      limit: { count: 2, per: '1d' },
      max: 90,
    },
  ],
};
