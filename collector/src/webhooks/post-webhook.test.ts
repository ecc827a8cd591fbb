import { afterEach, describe, expect, it } from 'vitest';
import { checkedLookup, type Resolve } from './checked-lookup.ts';
import { postWebhook } from './post-webhook.ts';
import { TargetRefusedError } from './public-target.ts';
import { type LocalReceiver, startLocalReceiver } from './receiver-kit.ts';

const toLoopback: Resolve = async () => [{ address: '127.0.0.1', family: 4 }];
const post = (url: string, resolve: Resolve, publicOnly: boolean, timeoutMs = 5_000) =>
  postWebhook(new URL(url), {
    headers: { 'content-type': 'application/json', 'leadbeam-event': 'lead.mql' },
    body: '{"email":"kim@acme.test"}',
    timeoutMs,
    lookup: checkedLookup(resolve, publicOnly),
  });

describe('posting a webhook delivery', () => {
  let receiver: LocalReceiver;
  afterEach(() => receiver.close());

  it('connects to the address its lookup handed over, and answers the status', async () => {
    receiver = await startLocalReceiver((_, response) => response.writeHead(202).end());
    expect(await post(`http://hooks.acme.test:${receiver.port}/in?x=1`, toLoopback, false)).toBe(202);
    expect(receiver.received).toEqual([
      {
        method: 'POST',
        path: '/in?x=1',
        headers: expect.objectContaining({
          host: `hooks.acme.test:${receiver.port}`,
          'content-type': 'application/json',
          'content-length': '25',
          'leadbeam-event': 'lead.mql',
        }),
        body: '{"email":"kim@acme.test"}',
      },
    ]);
  });

  it('refuses before connecting when the lookup answers a private address, over http and https', async () => {
    receiver = await startLocalReceiver();
    for (const scheme of ['http', 'https']) {
      const sent = post(`${scheme}://hooks.acme.test:${receiver.port}/`, toLoopback, true);
      await expect(sent).rejects.toBeInstanceOf(TargetRefusedError);
    }
    expect(receiver.connections()).toBe(0);
  });

  it('does not follow redirects', async () => {
    receiver = await startLocalReceiver((request, response) =>
      request.path === '/moved' ? response.writeHead(302, { location: '/elsewhere' }).end() : response.end(),
    );
    expect(await post(`http://hooks.acme.test:${receiver.port}/moved`, toLoopback, false)).toBe(302);
    expect(receiver.received.map((r) => r.path)).toEqual(['/moved']);
  });

  it('answers at the status line without reading a body that never ends', async () => {
    receiver = await startLocalReceiver((_, response) => {
      response.writeHead(200);
      const drip = setInterval(() => response.write('x'.repeat(1024)), 5);
      response.on('close', () => clearInterval(drip));
    });
    expect(await post(`http://hooks.acme.test:${receiver.port}/`, toLoopback, false, 2_000)).toBe(200);
  });

  it('gives up on a receiver that never answers', async () => {
    receiver = await startLocalReceiver(() => {});
    await expect(post(`http://hooks.acme.test:${receiver.port}/`, toLoopback, false, 200)).rejects.toThrow(
      'timed out after 200 ms',
    );
  });
});
