import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/api-error.ts';
import type { SecretKeys } from '../sites/secret-key-cache.ts';
import type { ApiEnv } from './api-router.ts';

const BEARER = /^Bearer +([A-Za-z0-9_-]{1,200}) *$/i;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="leadbeam"' };

/**
 * `Authorization: Bearer sk_…` → the site. The key is only hashed and compared, never logged;
 * a public key is refused with 403 (it may sit in every page's HTML, so it can never read).
 * `keys` answers from a short cache, so a rotated key stops working within `SECRET_KEY_CACHE_MS`.
 */
export function requireSecretKey(keys: SecretKeys): MiddlewareHandler<ApiEnv> {
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
    const siteId = key.startsWith('sk_') ? await keys.siteIdOf(key) : null;
    if (siteId === null) throw new ApiError(401, 'unauthorized', 'unknown secret key', CHALLENGE);
    c.set('site', { id: siteId });
    c.set('actor', { kind: 'key' });
    c.header('Cache-Control', 'no-store');
    await next();
  };
}
