import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiAnswer, apiClient } from '../api/api-test-kit.ts';
import { webhookRoutes } from '../api/webhook-routes.ts';
import { createErrorHandler } from '../http/error-handler.ts';
import { silentLogger } from '../logger.ts';
import { secretKeysOf } from '../sites/secret-key-cache.ts';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';

/** Refused on every collector: the URL is not one the collector would call as written. */
const MALFORMED: [string, string, RegExp][] = [
  ['CR/LF', 'https://crm.example/hook\r\nX-Injected: 1', /control characters/],
  ['a lone LF at the end', 'https://crm.example/hook\n', /control characters/],
  ['a NUL', 'https://crm.example/\u0000hook', /control characters/],
  ['DEL', 'https://crm.example/\u007fhook', /control characters/],
  ['a tab', 'https://crm.example/\thook', /control characters/],
  ['percent-encoded CR/LF', 'https://crm.example/hook%0D%0AX-Injected:1', /percent-encoded control/],
  ['a space', 'https://crm.example/my hook', /whitespace/],
  ['trailing whitespace', 'https://crm.example/hook ', /whitespace/],
  ['a backslash', 'https://crm.example\\@other.example/', /backslashes/],
  ['user and password', 'https://user:pass@crm.example/', /credentials/],
  ['a user name', 'https://user@crm.example/', /credentials/],
  ['ftp', 'ftp://crm.example/hook', /http\(s\)/],
  ['javascript', 'javascript:alert(document.domain)', /http\(s\)/],
  ['file', 'file:///etc/passwd', /http\(s\)/],
  ['not a URL', 'crm.example/hook', /absolute http\(s\) URL/],
  ['over 2048 characters', `https://crm.example/${'a'.repeat(2030)}`, /at most 2048 characters/],
];

/** Refused at registration only when the collector keeps webhooks off private networks. */
const PRIVATE = [
  'http://127.0.0.1:9000/hook',
  'http://[::ffff:127.0.0.1]:9000/hook',
  'http://[0:0:0:0:0:ffff:127.0.0.1]/hook',
  'http://[::ffff:7f00:1]/hook',
  'http://[::1]/hook',
  'http://2130706433/hook',
  'http://0x7f.1/hook',
  'http://0177.0.0.1/hook',
  'http://127.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://10.0.0.5/hook',
  'http://[fd00::1]/hook',
  'http://[64:ff9b::a00:1]/hook',
  'http://localhost:3000/hook',
  'http://printer.local/hook',
  'http://metadata.google.internal/computeMetadata/v1/',
];

const expectRefusal = (answer: ApiAnswer, url: string, message: RegExp) => {
  expect(answer.status).toBe(400);
  expect(answer.body.error.code).toBe('invalid_request');
  expect(answer.body.error.issues).toEqual([{ path: 'url', message: expect.stringMatching(message) }]);
  expect(answer.body.error.message).toMatch(message);
  const text = JSON.stringify(answer.body);
  expect(text).not.toContain(JSON.stringify(url).slice(1, -1));
  expect(text).not.toContain('crm.example');
};

describe.each(DATABASE_KINDS)('registering a webhook URL on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  let publicOnly: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    api = apiClient(t);
    // The webhook routes as a collector with private targets refused mounts them.
    const strict = new Hono();
    strict.onError(createErrorHandler(silentLogger));
    strict.route(
      '/v1/webhooks',
      webhookRoutes({ db: t.db, box: t.app.box, keys: secretKeysOf(t.db), publicWebhookTargetsOnly: true }),
    );
    publicOnly = apiClient({ ...t, app: strict } as unknown as TestCollector);
  });
  afterAll(() => t.close());

  it.each(MALFORMED)('refuses a URL with %s, without echoing it', async (_, url, message) => {
    expectRefusal(await api('POST', '/v1/webhooks', { url }), url, message);
    expectRefusal(await publicOnly('POST', '/v1/webhooks', { url }), url, message);
  });

  it.each(PRIVATE)('refuses %s when private targets are refused', async (url) => {
    const answer = await publicOnly('POST', '/v1/webhooks', { url });
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues).toEqual([
      {
        path: 'url',
        message: expect.stringMatching(/^must point at a public host: the (address|host name) is/),
      },
    ]);
  });

  it('accepts private targets when they are allowed (local receivers), and public ones always', async () => {
    const local = await api('POST', '/v1/webhooks', { url: 'http://[::ffff:127.0.0.1]:9000/hook' });
    expect(local.status).toBe(201);
    expect(local.body.url).toBe('http://[::ffff:127.0.0.1]:9000/hook');
    for (const url of [
      'https://crm.example/leadbeam',
      'https://[2606:4700::1111]/hook',
      'http://8.8.8.8/x',
    ]) {
      const created = await publicOnly('POST', '/v1/webhooks', { url });
      expect(created.status).toBe(201);
      expect(created.body.url).toBe(url);
    }
    const listed = await api('GET', '/v1/webhooks');
    for (const { id } of listed.body.data) await api('DELETE', `/v1/webhooks/${id}`);
  });

  it('documents the rules in /openapi.json', async () => {
    const document = (await (await t.app.request('/openapi.json')).json()) as {
      components: {
        schemas: { NewWebhook: { properties: { url: { pattern: string; description: string } } } };
      };
    };
    const url = document.components.schemas.NewWebhook.properties.url;
    expect(url).toMatchObject({ type: 'string', maxLength: 2048 });
    expect(url.description).toMatch(/control characters/);
    expect(new RegExp(url.pattern).test('https://crm.example/hook\r\n')).toBe(false);
    expect(new RegExp(url.pattern).test('https://crm.example/hook')).toBe(true);
  });
});
