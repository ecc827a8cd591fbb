import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/api-error.ts';

/**
 * What a console user may do, each role adding to the one before: viewers read; sales also set
 * lead stages; marketers also edit URL rules, scoring rules and webhooks; owners also manage
 * people and read the audit log. A secret key is a backend's, and may do everything.
 */
export const ROLES = ['viewer', 'sales', 'marketer', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a backend with the site's secret key, or a signed-in console user. */
export type Actor = { kind: 'key' } | { kind: 'user'; id: string; email: string; role: Role };

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** True when the actor may act as `role`. */
export function actsAs(actor: Actor, role: Role): boolean {
  return actor.kind === 'key' || ROLES.indexOf(actor.role) >= ROLES.indexOf(role);
}

/** The actor as the audit log names it. */
export const actorName = (actor: Actor) => (actor.kind === 'key' ? 'key' : `user:${actor.id}`);

/** Refuses with 403 unless the authenticated actor holds `role` (or more). */
export function requireRole(role: Role): MiddlewareHandler<{ Variables: { actor: Actor } }> {
  return async (c, next) => {
    const actor = c.get('actor');
    if (!actor || !actsAs(actor, role)) {
      throw new ApiError(
        403,
        'forbidden',
        `this needs the ${role} role or more; yours is ${actor?.kind === 'user' ? actor.role : 'unknown'}`,
      );
    }
    await next();
  };
}
