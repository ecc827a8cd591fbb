import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ServeSiteOptions = { port: number; host?: string; collectorUrl: string; publicKey: string };
export type ServedSite = { url: string; close(): Promise<void> };

/** The folder of this file: the demo site. */
const SITE_ROOT = fileURLToPath(new URL('.', import.meta.url));

/** What the server hands out; anything else (serve.ts, README.md, scoring.json…) answers 404. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Form posts are read and thrown away; nothing bigger is accepted. */
const MAX_POST_BYTES = 64 * 1024;

type Found = { file: string; status: 200 | 404 };

/**
 * Serves the demo site with the Leadbeam placeholders filled in:
 * `%LEADBEAM_SCRIPT%` → `${collectorUrl}/lb.js`, `%LEADBEAM_API%` → collectorUrl, `%LEADBEAM_SITE%` → publicKey.
 * `/app/*` falls back to `app/index.html` (the single-page docs). A POST to a page answers
 * `303 See Other` to the same URL, so the demo forms never put a field value in a URL.
 */
export function serveSite(options: ServeSiteOptions): Promise<ServedSite> {
  const host = options.host ?? '127.0.0.1';
  const collectorUrl = options.collectorUrl.replace(/\/+$/, '');
  const replacements: [string, string][] = [
    ['%LEADBEAM_SCRIPT%', escapeAttribute(`${collectorUrl}/lb.js`)],
    ['%LEADBEAM_API%', escapeAttribute(collectorUrl)],
    ['%LEADBEAM_SITE%', escapeAttribute(options.publicKey)],
  ];
  const fillIn = (html: string) =>
    replacements.reduce((text, [placeholder, value]) => text.replaceAll(placeholder, value), html);

  const server = createServer((request, response) => {
    handle(request, response, fillIn).catch(() => {
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error');
      else response.destroy();
    });
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolvePromise({
        url: `http://${shownHost}:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  fillIn: (html: string) => string,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://site.invalid');
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') {
    response.setHeader('Allow', 'GET, HEAD, POST');
    return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed');
  }

  const pathname = decodePath(url.pathname);
  const found = pathname === null ? null : await findFile(pathname);
  const target = found ?? { file: resolve(SITE_ROOT, '404.html'), status: 404 as const };

  if (method === 'POST') {
    const posted = await drain(request);
    if (!posted) return send(response, 413, 'text/plain; charset=utf-8', 'Form too large');
    if (target.status === 404 || extname(target.file) !== '.html') {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found');
    }
    // Post/redirect/get: the body (field values, the email) is discarded, never echoed or logged.
    response.setHeader('Location', url.pathname + url.search);
    return send(response, 303, 'text/plain; charset=utf-8', '');
  }

  const type = CONTENT_TYPES[extname(target.file)] ?? 'application/octet-stream';
  const bytes = await readFile(target.file);
  const body = type.startsWith('text/html') ? Buffer.from(fillIn(bytes.toString('utf8'))) : bytes;
  response.setHeader('Cache-Control', type.startsWith('text/html') ? 'no-cache' : 'public, max-age=300');
  send(response, target.status, type, body, method === 'HEAD');
}

/** Maps a URL path to a file inside the site, or null. Never leaves SITE_ROOT. */
async function findFile(pathname: string): Promise<Found | null> {
  const candidates = [pathname];
  if (pathname.endsWith('/')) candidates.push(`${pathname}index.html`);
  else if (extname(pathname) === '') candidates.push(`${pathname}.html`, `${pathname}/index.html`);
  for (const candidate of candidates) {
    const file = await servableFile(candidate);
    if (file) return { file, status: 200 };
  }
  // The single-page docs answer every path below /app/ (their own router shows "not found").
  if (pathname === '/app' || pathname.startsWith('/app/')) {
    return { file: resolve(SITE_ROOT, 'app', 'index.html'), status: 200 };
  }
  return null;
}

async function servableFile(pathname: string): Promise<string | null> {
  const file = resolve(SITE_ROOT, `.${pathname}`);
  if (!file.startsWith(SITE_ROOT.endsWith(sep) ? SITE_ROOT : SITE_ROOT + sep)) return null;
  if (!Object.hasOwn(CONTENT_TYPES, extname(file))) return null;
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? file : null;
}

/**
 * Percent-decodes a path; null for malformed escapes, NUL bytes, backslashes (Windows separators),
 * `..` segments that survived URL parsing in encoded form (`%2e%2e%2f`) and hidden files (`/.env`).
 */
function decodePath(raw: string): string | null {
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || !path.startsWith('/')) return null;
  if (path.split('/').some((segment) => segment.startsWith('.'))) return null;
  return path;
}

async function drain(request: IncomingMessage): Promise<boolean> {
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_POST_BYTES) return false;
  }
  return true;
}

function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headOnly = false,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': bytes.length,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
  });
  response.end(headOnly ? undefined : bytes);
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (char) => `&#${char.charCodeAt(0)};`);
}
