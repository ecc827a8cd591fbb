import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawHttpConnection } from './raw-http-client.ts';

let server: Server | null = null;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<RawHttpConnection> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return new RawHttpConnection('127.0.0.1', (server.address() as AddressInfo).port, 2_000);
}

const head = (body: string) =>
  `POST /v1/collect HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server?.closeAllConnections();
  server = null;
});

describe('RawHttpConnection', () => {
  it('sends a body and reads status, body and Retry-After, over one kept-alive socket', async () => {
    const sockets = new Set<unknown>();
    const connection = await serve((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        const answer = JSON.stringify({ echoed: body, agent: req.headers['content-type'] });
        res.writeHead(body === 'full' ? 503 : 200, {
          'retry-after': '1',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(answer),
        });
        res.end(answer);
      });
    });
    await connection.connect();
    const first = await connection.request(head('héllo'), 'héllo');
    expect(first).toEqual({
      status: 200,
      body: JSON.stringify({ echoed: 'héllo', agent: 'text/plain' }),
      retryAfter: '1',
    });
    const second = await connection.request(head('full'), 'full');
    expect(second.status).toBe(503);
    expect(sockets.size).toBe(1);
    connection.close();
  });

  it('reconnects after a reply that closes the connection', async () => {
    const sockets = new Set<unknown>();
    const connection = await serve((req, res) => {
      sockets.add(req.socket);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { connection: 'close', 'content-length': '2' });
        res.end('ok');
      });
    });
    for (let i = 0; i < 3; i++) expect((await connection.request(head(''), '')).body).toBe('ok');
    expect(sockets.size).toBe(3);
    connection.close();
  });

  it('fails a request whose connection is cut, and serves the next one on a new socket', async () => {
    let calls = 0;
    const connection = await serve((req, res) => {
      calls++;
      if (calls === 1) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => res.end('again'));
    });
    await expect(connection.request(head(''), '')).rejects.toThrow('connection closed');
    expect((await connection.request(head(''), '')).body).toBe('again');
    connection.close();
  });

  it('refuses a chunked reply, which it does not read, with a clear error', async () => {
    const connection = await serve((req, res) => {
      req.resume();
      req.on('end', () => {
        res.write('part');
        res.end();
      });
    });
    await expect(connection.request(head(''), '')).rejects.toThrow('unsupported transfer-encoding: chunked');
  });

  it('times out a request that gets no answer', async () => {
    const connection = await serve(() => {});
    await expect(connection.request(head(''), '')).rejects.toThrow('timeout');
  });

  it('takes one request at a time', async () => {
    const connection = await serve((req, res) => {
      req.resume();
      req.on('end', () => res.end('one'));
    });
    const first = connection.request(head(''), '');
    await expect(connection.request(head(''), '')).rejects.toThrow('one request at a time');
    expect((await first).body).toBe('one');
    connection.close();
  });
});
