/**
 * `pnpm start`: the collector on the embedded database, the demo site beside it, and what a
 * newcomer needs printed: both URLs, the keys, and a first API call to try.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLogger,
  createSite,
  listSites,
  openConfiguredDatabase,
  parseConfig,
  resolveSecret,
  startCollector,
} from '@leadbeam/collector';
import { serveSite } from './serve.ts';

// The demo's webhook receivers run on this machine: allow private targets unless told otherwise.
const parsed = parseConfig({ LEADBEAM_WEBHOOK_PRIVATE_TARGETS: 'true', ...process.env });
if (!parsed.ok) {
  console.error(parsed.message);
  process.exit(1);
}
const config = parsed.config;
const sitePort = Number(process.env.SITE_PORT ?? 8080);
if (!Number.isInteger(sitePort) || sitePort < 0 || sitePort > 65535) {
  console.error('Invalid configuration:\n  SITE_PORT: must be a port number');
  process.exit(1);
}
const secret = resolveSecret(config);
if (!secret.ok) {
  console.error(`Invalid configuration:\n  ${secret.message}`);
  process.exit(1);
}

// The demo site's keys are kept beside the embedded database so every start can print them.
type DemoKeys = { id: string; publicKey: string; secretKey: string };
const keysFile = join(config.LEADBEAM_DATA_DIR, 'demo-site.json');
async function demoSite(): Promise<DemoKeys> {
  if (existsSync(keysFile)) return JSON.parse(readFileSync(keysFile, 'utf8')) as DemoKeys;
  const database = await openConfiguredDatabase(config);
  try {
    const existing = await listSites(database.db);
    if (existing.length > 0) {
      throw new Error(
        `${config.LEADBEAM_DATA_DIR} already has sites but no demo-site.json: use another LEADBEAM_DATA_DIR`,
      );
    }
    const rules = JSON.parse(readFileSync(new URL('./scoring.json', import.meta.url), 'utf8'));
    const created = await createSite(database.db, { name: 'Acme Pipelines (demo)', rules });
    const keys = { id: created.id, publicKey: created.publicKey, secretKey: created.secretKey };
    writeFileSync(keysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
    return keys;
  } finally {
    await database.close();
  }
}

const keys = await demoSite();
const logger = createLogger(config.LEADBEAM_LOG_LEVEL === 'info' ? 'warn' : config.LEADBEAM_LOG_LEVEL);
const collector = await startCollector(config, logger, secret.secret);
const site = await serveSite({ port: sitePort, collectorUrl: collector.url, publicKey: keys.publicKey });

console.log(`
Leadbeam is running (${collector.database.kind === 'pglite' ? `embedded PGlite in ${config.LEADBEAM_DATA_DIR}` : 'PostgreSQL'}).

  Demo site   ${site.url}/          browse it: pricing, the whitepaper, the 3-step demo form
  Collector   ${collector.url}      (health: ${collector.url}/healthz)

  Site        ${keys.id}
  Public key  ${keys.publicKey}     (write-only: it is in every page of the demo site)
  Secret key  ${keys.secretKey}

Try the lead API once you have filled in the demo form:
  curl -H 'Authorization: Bearer ${keys.secretKey}' '${collector.url}/v1/leads?mql=true'
  curl -H 'Authorization: Bearer ${keys.secretKey}' '${collector.url}/v1/leads/<your email>'

Press Ctrl+C to stop.
`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await site.close();
    await collector.close();
    process.exit(0);
  });
}
