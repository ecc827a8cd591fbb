/**
 * The load generator's HTTP client: one keep-alive HTTP/1.1 connection on a raw socket, one
 * request at a time, as wrk and autocannon do it. `node:http`'s ClientRequest machinery cost the
 * generator a quarter of a core at 800 requests/s on this 2-core machine: CPU the collector and
 * PostgreSQL then lacked, so the bench measured its own client as much as the server.
 */
import { connect, type Socket } from 'node:net';

export type Reply = { status: number; body: string; retryAfter: string | undefined };

const HEAD_END = Buffer.from('\r\n\r\n');

/** Status line, content-length, retry-after and connection of a response head. */
function parseHead(head: string) {
  const status = Number(head.slice(9, 12));
  let length = 0;
  let retryAfter: string | undefined;
  let close = false;
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') length = Number(value);
    else if (name === 'retry-after') retryAfter = value;
    else if (name === 'connection') close = value.toLowerCase() === 'close';
    else if (name === 'transfer-encoding') throw new Error(`unsupported transfer-encoding: ${value}`);
  }
  if (!Number.isInteger(status) || status < 100)
    throw new Error(`not an HTTP response: ${head.slice(0, 80)}`);
  return { status, length, retryAfter, close };
}

export class RawHttpConnection {
  #socket: Socket | null = null;
  #received: Buffer = Buffer.alloc(0);
  #waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Sends `head` (request line and headers, ending in a blank line) and `body`; answers the reply. */
  request(head: string, body: string): Promise<Reply> {
    if (this.#waiting) return Promise.reject(new Error('one request at a time per connection'));
    const socket = this.#socket ?? this.#open();
    return new Promise<Reply>((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#timer = setTimeout(() => this.#fail(new Error('timeout')), this.timeoutMs);
      socket.write(head + body);
    });
  }

  /** Opens the connection ahead of the first request (so that no request pays for the handshake). */
  connect(): Promise<void> {
    const socket = this.#socket ?? this.#open();
    return new Promise((resolve, reject) => {
      if (!socket.connecting) return resolve();
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
  }

  close(): void {
    this.#socket?.destroy();
    this.#socket = null;
  }

  #open(): Socket {
    const socket = connect({ host: this.host, port: this.port, noDelay: true });
    // A socket closed after its last reply (`connection: close`) must not fail the next one's request.
    const current = () => socket === this.#socket;
    socket.on('data', (chunk: Buffer) => current() && this.#onData(chunk));
    socket.on('error', (error) => current() && this.#fail(error));
    socket.on('close', () => current() && this.#fail(new Error('connection closed')));
    this.#socket = socket;
    this.#received = Buffer.alloc(0);
    return socket;
  }

  #onData(chunk: Buffer): void {
    this.#received = this.#received.length === 0 ? chunk : Buffer.concat([this.#received, chunk]);
    const end = this.#received.indexOf(HEAD_END);
    if (end < 0 || !this.#waiting) return;
    let head: ReturnType<typeof parseHead>;
    try {
      head = parseHead(this.#received.toString('latin1', 0, end));
    } catch (error) {
      this.#fail(error as Error);
      return;
    }
    const bodyStart = end + HEAD_END.length;
    if (this.#received.length < bodyStart + head.length) return;
    const body = this.#received.toString('utf8', bodyStart, bodyStart + head.length);
    this.#received = this.#received.subarray(bodyStart + head.length);
    const waiting = this.#waiting;
    this.#settle();
    if (head.close) this.close();
    waiting.resolve({ status: head.status, body, retryAfter: head.retryAfter });
  }

  #fail(error: Error): void {
    const waiting = this.#waiting;
    this.#settle();
    this.close();
    waiting?.reject(error);
  }

  #settle(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#waiting = null;
  }
}
