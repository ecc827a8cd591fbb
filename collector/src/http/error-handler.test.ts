import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.ts';
import { createErrorHandler, notFound } from './error-handler.ts';

const EMAIL = 'jane.doe@acme.test';

function appWithLogger() {
  const logger = createMemoryLogger();
  const app = new Hono();
  app.use(requestId({ headerName: 'Leadbeam-Request-Id' }));
  app.onError(createErrorHandler(logger));
  app.notFound(notFound);
  const leads = new Hono();
  leads.use('*', (_, next) => next());
  leads.get('/:lead', () => {
    throw new Error('database gone');
  });
  app.route('/v1/leads', leads);
  return { app, logger };
}

describe('the error handler', () => {
  it("logs an unhandled error with the route's pattern, never the path that named the lead", async () => {
    const { app, logger } = appWithLogger();
    const answer = await app.request(`/v1/leads/${EMAIL}?at=${EMAIL}`);
    expect(answer.status).toBe(500);
    const requestIdSent = answer.headers.get('leadbeam-request-id');
    expect(await answer.json()).toEqual({
      error: { code: 'internal', message: `internal error (request ${requestIdSent})` },
    });
    expect(logger.lines).toHaveLength(1);
    expect(JSON.parse(logger.lines[0] as string)).toMatchObject({
      level: 'error',
      message: 'unhandled error',
      requestId: requestIdSent,
      method: 'GET',
      route: '/v1/leads/:lead',
      error: 'Error: database gone',
    });
    expect(logger.lines.join('\n')).not.toContain('jane');
  });

  it('answers an unknown route with the method and a pointer, never the path', async () => {
    const { app } = appWithLogger();
    const answer = await app.request(`/v1/people/${EMAIL}`, { method: 'DELETE' });
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      error: {
        code: 'not_found',
        message: 'no route for DELETE at this path: GET /openapi.json lists the routes',
      },
    });
  });

  it('does not echo a method that is not a standard one', async () => {
    const { app } = appWithLogger();
    const answer = await app.request('/nowhere', { method: 'JANEDOEACMETEST' });
    expect(((await answer.json()) as { error: { message: string } }).error.message).toBe(
      'no route for another method at this path: GET /openapi.json lists the routes',
    );
  });
});
