import { describe, expect, it } from 'vitest';
import { WEBHOOK_URL_PATTERN, webhookUrlProblem } from './webhook-url.ts';

const REFUSED: [string, string, RegExp][] = [
  ['CR/LF in the path', 'https://crm.example/hook\r\nX-Injected: 1', /control characters/],
  ['a bare LF', 'https://crm.example/\nhook', /control characters/],
  ['a CR in the host', 'https://crm.\rexample/', /control characters/],
  ['a tab', 'https://crm.example/\thook', /control characters/],
  ['a NUL', 'https://crm.example/\u0000', /control characters/],
  ['DEL', 'https://crm.example/\u007f', /control characters/],
  ['a C1 control', 'https://crm.example/\u0085', /control characters/],
  ['a space', 'https://crm.example/a hook', /whitespace/],
  ['a leading space', ' https://crm.example/', /whitespace/],
  ['a no-break space', 'https://crm.example/\u00a0', /whitespace/],
  ['a line separator', 'https://crm.example/\u2028', /whitespace/],
  ['percent-encoded CR/LF', 'https://crm.example/hook%0d%0aX-Injected:%201', /percent-encoded control/],
  ['percent-encoded NUL', 'https://crm.example/%00', /percent-encoded control/],
  ['percent-encoded DEL', 'https://crm.example/%7F', /percent-encoded control/],
  ['a backslash', 'https://evil.example\\@crm.example/', /backslashes/],
  ['user and password', 'https://user:pass@crm.example/', /credentials/],
  ['a user', 'https://user@crm.example/', /credentials/],
  ['an empty userinfo', 'https://@crm.example/', /credentials/],
  ['ftp', 'ftp://crm.example/', /http\(s\)/],
  ['javascript', 'javascript:alert(1)', /http\(s\)/],
  ['file', 'file:///etc/passwd', /http\(s\)/],
  ['no slashes', 'http:crm.example/hook', /absolute http\(s\) URL/],
  ['a relative URL', '/hooks', /absolute http\(s\) URL/],
  ['too long', `https://crm.example/${'a'.repeat(2048)}`, /at most 2048/],
];

const ALLOWED = [
  'https://crm.example/leadbeam',
  'http://localhost:9/mql',
  'HTTPS://CRM.EXAMPLE/Hook?x=1&y=%20#frag',
  'https://crm.example/%E2%9C%93',
  'https://bücher.example/hook',
  'https://[2606:4700::1111]:8443/h',
  `https://crm.example/${'a'.repeat(2000)}`,
];

describe('the shape of a webhook URL', () => {
  it.each(REFUSED)('refuses %s, without repeating the URL', (_, url, message) => {
    const problem = webhookUrlProblem(url);
    expect(problem).toMatch(message);
    expect(problem).not.toContain('crm.example');
  });

  it.each(ALLOWED)('allows %s', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it('documents the same rules as one pattern in the OpenAPI document', () => {
    for (const [, url] of REFUSED.filter(([what]) => what !== 'too long')) {
      expect(WEBHOOK_URL_PATTERN.test(url), url).toBe(false);
    }
    for (const url of ALLOWED) expect(WEBHOOK_URL_PATTERN.test(url), url).toBe(true);
  });
});
