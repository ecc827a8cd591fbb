import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from '../http/error-handler.ts';
import { silentLogger } from '../logger.ts';
import { refuseControlCharacters } from './refuse-control-characters.ts';

const app = new Hono();
app.onError(createErrorHandler(silentLogger));
app.use('/v1/*', refuseControlCharacters);
app.get('/v1/leads/:lead', (c) => c.json({ lead: c.req.param('lead'), query: c.req.queries() }));

const get = async (path: string) => {
  const response = await app.request(path);
  return { status: response.status, body: (await response.json()) as { error: { message: string } } };
};

describe('control characters at the edge of the API', () => {
  it.each([
    ['a NUL in the path', '/v1/leads/jane%00@acme.test'],
    ['a NUL in a lower-case spelling', '/v1/leads/a%0a'],
    ['a unit separator in the path', '/v1/leads/a%1F'],
    ['a DEL in the path', '/v1/leads/a%7f'],
    ['a C1 control in the path', '/v1/leads/a%C2%85'],
    ['a NUL after a broken escape', '/v1/leads/%E0%A4%00'],
  ])('refuse %s', async (_, path) => {
    const answer = await get(path);
    expect(answer).toEqual({
      status: 400,
      body: {
        error: {
          code: 'invalid_request',
          message:
            'invalid request: the path must not contain control characters (U+0000 to U+001F, U+007F to U+009F)',
        },
      },
    });
  });

  it.each([
    ['a value', '/v1/leads/x?cursor=a%00b'],
    ['a name', '/v1/leads/x?a%00=1'],
    ['a second value', '/v1/leads/x?at=1&at=%0D'],
  ])('refuse a control character in a query %s', async (_, path) => {
    const answer = await get(path);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(
      /^invalid request: the query must not contain control characters/,
    );
  });

  it('refuse a control character in a header the API reads', async () => {
    // Fetch's Headers refuse NUL, so the raw request is a stand-in carrying what a lax server could pass.
    const headers = new Map([['authorization', 'Bearer sk_a\u0000b']]);
    const request = { url: 'http://localhost/v1/leads/x', method: 'GET', headers } as unknown as Request;
    const answer = await app.fetch(request);
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { message: string } }).error.message).toMatch(
      /^invalid request: the authorization header must not/,
    );
  });

  it('let printable text through, escaped percent signs and spaces included', async () => {
    const answer = await get('/v1/leads/100%2500?q=a+b&r=%20%7E');
    expect(answer).toEqual({ status: 200, body: { lead: '100%00', query: { q: ['a b'], r: [' ~'] } } });
  });
});
