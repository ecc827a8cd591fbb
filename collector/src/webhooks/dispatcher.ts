import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { checkedLookup, type Resolve, systemResolve } from './checked-lookup.ts';
import { postWebhook, type WebhookPost } from './post-webhook.ts';
import { assertNotLocalTarget, TargetRefusedError } from './public-target.ts';
import type { SecretBox } from './secret-box.ts';
import { signWebhook } from './sign.ts';
import { webhookUrlProblem } from './webhook-url.ts';

export type DispatcherDeps = {
  db: Db;
  box: SecretBox;
  clock: Clock;
  logger: Logger;
  /** Replaces the HTTP client (tests): it then owns its connections, so only the URL is checked. */
  fetch?: typeof fetch;
  /** Resolves host names when connecting; tests pass a fake DNS. */
  resolve?: Resolve;
  /** Attempts before a delivery is given up as `failed`. */
  maxAttempts?: number;
  timeoutMs?: number;
  /** Refuse targets that resolve to private addresses (production); tests and local demos allow them. */
  publicTargetsOnly?: boolean;
};

type Post = (url: URL, post: Omit<WebhookPost, 'lookup'>) => Promise<number>;

/** An injected `fetch` as a poster: no redirects followed, the body discarded. */
const postWithFetch =
  (send: typeof fetch): Post =>
  async (url, { headers, body, timeoutMs }) => {
    const response = await send(url.href, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel().catch(() => {});
    return response.status;
  };

type DueDelivery = {
  siteId: string;
  id: string;
  webhookId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
  url: string;
  secretCiphertext: string;
};

/** Exponential backoff with jitter: ~10 s, 20 s, 40 s … capped at 6 h. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(10_000 * 2 ** (attempts - 1), 6 * 3600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

const LEASE_MS = 60_000;

/**
 * Sends due deliveries from the outbox. A claimed delivery is leased (its next attempt pushed a
 * minute ahead) with `for update skip locked`, so several collectors never send it twice at once
 * and a crash between claim and send only delays it. Signed, timed out, retried with backoff.
 */
export function createWebhookDispatcher(deps: DispatcherDeps) {
  const lookup = checkedLookup(deps.resolve ?? systemResolve, deps.publicTargetsOnly ?? false);
  const post: Post = deps.fetch ? postWithFetch(deps.fetch) : (url, p) => postWebhook(url, { ...p, lookup });
  const maxAttempts = deps.maxAttempts ?? 12;
  const timeoutMs = deps.timeoutMs ?? 10_000;

  async function deliver(delivery: DueDelivery): Promise<void> {
    const now = deps.clock.now();
    const body = JSON.stringify(delivery.payload);
    let status: number | null = null;
    let error: string | null = null;
    let refused = false;
    try {
      const problem = webhookUrlProblem(delivery.url);
      if (problem) throw new TargetRefusedError(`the webhook URL ${problem}`);
      const url = new URL(delivery.url);
      if (deps.publicTargetsOnly) assertNotLocalTarget(url);
      status = await post(url, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Leadbeam-Webhooks/1',
          'leadbeam-signature': signWebhook(
            deps.box.open(delivery.secretCiphertext),
            body,
            Math.floor(now.getTime() / 1000),
          ),
          'leadbeam-delivery': delivery.id,
          'leadbeam-event': delivery.eventType,
        },
        body,
        timeoutMs,
      });
      if (status < 200 || status > 299) error = `answered ${status}`;
    } catch (failure) {
      refused = failure instanceof TargetRefusedError;
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const attempts = delivery.attempts + 1;
    const delivered = error === null;
    // A refused target would be refused again on every retry: give up at once.
    const finalStatus = delivered ? 'delivered' : refused || attempts >= maxAttempts ? 'failed' : 'pending';
    await deps.db.execute(sql`
      update webhook_deliveries set status = ${finalStatus}, attempts = ${attempts}, last_status = ${status},
        last_error = ${error}, delivered_at = ${delivered ? now.toISOString() : null}::timestamptz,
        next_attempt_at = ${new Date(now.getTime() + (delivered ? 0 : retryDelayMs(attempts))).toISOString()}::timestamptz
      where site_id = ${delivery.siteId} and id = ${delivery.id}`);
    if (!delivered) {
      deps.logger.log('warn', 'webhook delivery failed', {
        deliveryId: delivery.id,
        attempts,
        status,
        error,
        finalStatus,
      });
    }
  }

  return {
    /** Sends what is due now; answers how many deliveries it attempted. */
    async runOnce(limit = 50): Promise<number> {
      const now = deps.clock.now();
      const due = await queryRows<DueDelivery>(
        deps.db,
        sql`
        with due as (
          select site_id, id from webhook_deliveries
          where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
          order by next_attempt_at limit ${limit}
          for update skip locked
        )
        update webhook_deliveries d set next_attempt_at = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz
        from due, webhooks w
        where d.site_id = due.site_id and d.id = due.id and w.site_id = d.site_id and w.id = d.webhook_id
        returning d.site_id as "siteId", d.id, d.webhook_id as "webhookId", d.event_type as "eventType", d.payload,
          d.attempts, w.url, w.secret_ciphertext as "secretCiphertext"`,
      );
      await Promise.all(due.map(deliver));
      return due.length;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
