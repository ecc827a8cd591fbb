import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export type WebhookPost = {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Resolves the host for the socket; see `checked-lookup.ts`. */
  lookup: LookupFunction;
};

/**
 * POSTs a delivery and answers the receiver's status. A socket of its own per delivery (no shared
 * agent), so every connection goes through `lookup`; redirects are not followed; the response
 * body is never read; the whole exchange up to the status line is bounded by `timeoutMs`.
 */
export function postWebhook(url: URL, post: WebhookPost): Promise<number> {
  const signal = AbortSignal.timeout(post.timeoutMs);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        lookup: post.lookup,
        agent: false,
        signal,
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.on('error', () => {});
        response.destroy();
      },
    );
    outgoing.on('error', (error) =>
      reject(signal.aborted ? new Error(`timed out after ${post.timeoutMs} ms`) : error),
    );
    outgoing.end(post.body);
  });
}
