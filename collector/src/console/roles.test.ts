import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from '../http/error-handler.ts';
import { silentLogger } from '../logger.ts';
import { type Actor, actsAs, type Role, requireRole } from './roles.ts';

const user = (role: Role): Actor => ({ kind: 'user', id: 'u1', email: 'ann@acme.test', role });

describe('roles', () => {
  it('add to each other: viewer < sales < marketer < owner', () => {
    expect(actsAs(user('viewer'), 'sales')).toBe(false);
    expect(actsAs(user('sales'), 'sales')).toBe(true);
    expect(actsAs(user('sales'), 'marketer')).toBe(false);
    expect(actsAs(user('marketer'), 'sales')).toBe(true);
    expect(actsAs(user('owner'), 'marketer')).toBe(true);
  });

  it('let a secret key do everything', () => {
    expect(actsAs({ kind: 'key' }, 'owner')).toBe(true);
  });

  it('refuse a route with 403 and say which role it needs', async () => {
    const app = new Hono<{ Variables: { actor: Actor } }>();
    app.onError(createErrorHandler(silentLogger));
    app.use('*', async (c, next) => {
      c.set('actor', user('viewer'));
      await next();
    });
    app.post('/rules', requireRole('marketer'), (c) => c.body(null, 204));
    const answer = await app.request('/rules', { method: 'POST' });
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({
      error: { code: 'forbidden', message: 'this needs the marketer role or more; yours is viewer' },
    });
  });
});
