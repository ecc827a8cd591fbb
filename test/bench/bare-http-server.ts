/**
 * The HTTP ceiling: a bare Hono route on @hono/node-server that reads, parses and validates the
 * same body as `/v1/collect` and stores nothing. Run as its own process (PORT from the env).
 */
import { serve } from '@hono/node-server';
import { validateBatch } from '@leadbeam/protocol';
import { Hono } from 'hono';

const app = new Hono();
app.get('/healthz', (c) => c.text('ok'));
app.post('/v1/collect', async (c) => {
  const batch = validateBatch(JSON.parse(await c.req.text()));
  if (!batch.ok) return c.json({ error: { code: 'invalid_envelope', message: batch.message } }, 400);
  return c.json({ accepted: batch.events.length, duplicates: 0, rejected: batch.rejected });
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
