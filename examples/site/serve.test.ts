import { readdir, readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedSite, serveSite } from './serve.ts';

const collectorUrl = 'http://127.0.0.1:8787';
const publicKey = 'pk_demo_acme';
let site: ServedSite;

beforeAll(async () => {
  site = await serveSite({ port: 0, collectorUrl: `${collectorUrl}/`, publicKey });
});

afterAll(async () => {
  await site.close();
});

/** A request with the path sent byte for byte (fetch would normalize `..` away before sending). */
function rawRequest(
  path: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { hostname, port } = new URL(site.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { hostname, port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

async function get(path: string) {
  const response = await fetch(`${site.url}${path}`, { redirect: 'manual' });
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

describe('serveSite', () => {
  it('listens on 127.0.0.1 by default', () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('fills the Leadbeam tag placeholders of every page', async () => {
    const pages = [
      '/',
      '/pricing.html',
      '/whitepaper.html',
      '/demo.html',
      '/thank-you.html',
      '/careers.html',
      '/app/',
    ];
    for (const path of pages) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      expect(page.type, path).toBe('text/html; charset=utf-8');
      expect(page.body, path).toContain(
        `<script async src="${collectorUrl}/lb.js" data-site="${publicKey}" data-api="${collectorUrl}"></script>`,
      );
      expect(page.body, path).not.toContain('%LEADBEAM_');
    }
  });

  it('escapes the configured values for the attribute they land in', async () => {
    const other = await serveSite({ port: 0, collectorUrl: 'http://c.test', publicKey: 'pk_"><script>' });
    try {
      const body = await (await fetch(other.url)).text();
      expect(body).toContain('data-site="pk_&#34;&#62;&#60;script&#62;"');
      expect(body).not.toContain('pk_"><script>');
    } finally {
      await other.close();
    }
  });

  it('serves the stylesheet and the whitepaper with their content types', async () => {
    const css = await get('/style.css');
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css; charset=utf-8');
    const pdf = await fetch(`${site.url}/files/pipeline-roi-guide.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('serves clean URLs and directory indexes', async () => {
    expect((await get('/pricing')).body).toContain('lb:tags');
    expect((await get('/index.html')).status).toBe(200);
  });

  it('answers every /app/* path with the single-page docs', async () => {
    const docs = await get('/app/index.html');
    for (const path of ['/app', '/app/quickstart', '/app/connectors', '/app/does/not/exist']) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      expect(page.body, path).toBe(docs.body);
    }
  });

  it('answers unknown paths with the 404 page', async () => {
    const page = await get('/no-such-page.html');
    expect(page.status).toBe(404);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('This page took a wrong turn');
    expect(page.body).not.toContain('%LEADBEAM_');
  });

  it('hands out site files only, not its source or configuration', async () => {
    for (const path of ['/serve.ts', '/serve.test.ts', '/package.json', '/tsconfig.json', '/README.md']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it.each([
    '/../package.json',
    '/../../package.json',
    '/../../../../../../etc/passwd',
    '/..%2fpackage.json',
    '/..%2f..%2fpackage.json',
    '/%2e%2e/%2e%2e/package.json',
    '/%2e%2e%2f%2e%2e%2fpackage.json',
    '/app/..%2f..%2f..%2fpackage.json',
    '/files/..%5c..%5cpackage.json',
    '/..\\..\\package.json',
    '/%00index.html',
    '/%E0%A4%A',
    '/.git/config',
  ])('refuses the path %s', async (path) => {
    const response = await rawRequest(path);
    expect([400, 404]).toContain(response.status);
    expect(response.body).not.toContain('"name": "leadbeam"');
    expect(response.body).not.toContain('@leadbeam/example-site');
    expect(response.body).not.toContain('root:');
    expect(response.body).not.toContain('[core]');
  });

  it('answers a form POST with a redirect to the page, never echoing the fields', async () => {
    const body = 'firstName=Jane&email=jane%40acme.test&company=Acme';
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const demo = await rawRequest('/thank-you.html', { method: 'POST', body, headers });
    expect(demo.status).toBe(303);
    expect(demo.headers.location).toBe('/thank-you.html');
    expect(demo.body).toBe('');
    const gate = await rawRequest('/whitepaper.html?access=granted', { method: 'POST', body, headers });
    expect(gate.status).toBe(303);
    expect(gate.headers.location).toBe('/whitepaper.html?access=granted');
    expect(JSON.stringify(gate.headers)).not.toContain('acme.test');
  });

  it('refuses POSTs to non-pages and unknown methods', async () => {
    expect((await rawRequest('/style.css', { method: 'POST', body: 'x=1' })).status).toBe(404);
    expect((await rawRequest('/nope.html', { method: 'POST', body: 'x=1' })).status).toBe(404);
    const deleted = await rawRequest('/index.html', { method: 'DELETE' });
    expect(deleted.status).toBe(405);
    expect(deleted.headers.allow).toBe('GET, HEAD, POST');
  });

  it('answers HEAD with headers only', async () => {
    const head = await rawRequest('/pricing.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body).toBe('');
  });
});

describe('the demo site', () => {
  const read = (file: string) => readFile(new URL(file, import.meta.url), 'utf8');

  it('tags every page with the Leadbeam script and nothing else from outside', async () => {
    const files = (await readdir(new URL('.', import.meta.url))).filter((file) => file.endsWith('.html'));
    files.push('app/index.html');
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const html = await read(file);
      const scripts = html.match(/<script[^>]*\ssrc=[^>]*>/g) ?? [];
      expect(scripts, file).toEqual([
        '<script async src="%LEADBEAM_SCRIPT%" data-site="%LEADBEAM_SITE%" data-api="%LEADBEAM_API%">',
      ]);
      expect(html, file).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    }
  });

  it('posts the demo form so the work email never reaches a URL', async () => {
    const html = await read('demo.html');
    expect(html).toContain(
      '<form id="demo-form" data-lb-form="demo-request" action="/thank-you.html" method="post">',
    );
    const steps = [...html.matchAll(/<fieldset data-lb-step="([a-z]+)"/g)].map((match) => match[1]);
    expect(steps).toEqual(['contact', 'company', 'needs']);
    const contact = html.slice(
      html.indexOf('data-lb-step="contact"'),
      html.indexOf('data-lb-step="company"'),
    );
    expect(contact).toContain('type="email"');
  });

  it('marks the thank-you page, its call to action, the pricing page and the whitepaper download', async () => {
    expect(await read('thank-you.html')).toContain('<meta name="lb:thank-you" content="demo-request" />');
    expect(await read('thank-you.html')).toContain('data-lb-action="book-call"');
    expect(await read('pricing.html')).toContain('<meta name="lb:tags" content="pricing,high-intent" />');
    expect(await read('whitepaper.html')).toContain(
      'href="/files/pipeline-roi-guide.pdf" data-lb-download="whitepaper"',
    );
  });

  it('ships a structurally valid PDF: every xref entry points at its object', async () => {
    const pdf = (await readFile(new URL('files/pipeline-roi-guide.pdf', import.meta.url))).toString('latin1');
    expect(pdf.startsWith('%PDF-1.')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    const startXref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(pdf)?.[1]);
    expect(pdf.slice(startXref, startXref + 4)).toBe('xref');
    const [, first, count] = /^xref\s+(\d+) (\d+)/.exec(pdf.slice(startXref)) ?? [];
    expect(Number(first)).toBe(0);
    const entries = pdf.slice(startXref).match(/\d{10} \d{5} [nf]/g) ?? [];
    expect(entries).toHaveLength(Number(count));
    entries.forEach((entry, objectNumber) => {
      if (entry.endsWith('f')) return;
      const offset = Number(entry.slice(0, 10));
      expect(pdf.slice(offset).startsWith(`${objectNumber} 0 obj`)).toBe(true);
    });
    expect(pdf).toMatch(/\/Type \/Catalog/);
  });
});
