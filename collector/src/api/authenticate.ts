import type { MiddlewareHandler } from 'hono';
import type { Executor } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { findSiteBySecretKey } from '../sites/site-store.ts';
import type { ApiEnv } from './api-router.ts';

const BEARER = /^Bearer +([A-Za-z0-9_-]{1,200}) *$/i;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="leadbeam"' };

/**
 * `Authorization: Bearer sk_…` → the site. The key is only hashed and compared, never logged;
 * a public key is refused with 403 (it may sit in every page's HTML, so it can never read).
 */
export function requireSecretKey(db: Executor): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const key = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (!key) {
      throw new ApiError(
        401,
        'unauthorized',
        'send the site\'s secret key as "Authorization: Bearer sk_…"',
        CHALLENGE,
      );
    }
    if (key.startsWith('pk_')) {
      throw new ApiError(
        403,
        'forbidden',
        'public keys are write-only: read and change leads with the secret key (sk_…)',
      );
    }
    const site = key.startsWith('sk_') ? await findSiteBySecretKey(db, key) : null;
    if (!site) throw new ApiError(401, 'unauthorized', 'unknown secret key', CHALLENGE);
    c.set('site', site);
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
