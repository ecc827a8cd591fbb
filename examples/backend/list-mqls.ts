/**
 * Prints the site's current MQLs: score, stage and email, highest score first.
 *
 *   LEADBEAM_URL=http://127.0.0.1:8787 LEADBEAM_SECRET_KEY=sk_… pnpm mqls
 */
import { pathToFileURL } from 'node:url';
import { createLeadbeamClient, type Lead, type LeadbeamClient, type LeadbeamError } from '@leadbeam/client';

/** Every MQL of the site, highest score first, or the error that stopped the listing. */
export async function readMqls(
  client: LeadbeamClient,
): Promise<{ ok: true; leads: Lead[] } | { ok: false; error: LeadbeamError }> {
  const leads: Lead[] = [];
  for await (const item of client.iterateLeads({ mql: true, limit: 200 })) {
    if (!item.ok) return item;
    leads.push(item.value);
  }
  return { ok: true, leads: leads.sort((a, b) => b.score - a.score) };
}

/** The MQLs as an aligned text table. */
export function formatMqls(leads: Lead[]): string {
  if (leads.length === 0) return 'No MQLs yet.';
  const rows = leads.map((lead) => [
    lead.score.toFixed(1),
    lead.stage,
    lead.email ?? '(anonymous)',
    lead.mqlAt ?? '',
  ]);
  const header = ['SCORE', 'STAGE', 'EMAIL', 'MQL SINCE'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line), '', `${leads.length} MQL${leads.length === 1 ? '' : 's'}`].join(
    '\n',
  );
}

async function main(): Promise<number> {
  const baseUrl = process.env.LEADBEAM_URL;
  const secretKey = process.env.LEADBEAM_SECRET_KEY;
  const missing = [!baseUrl && 'LEADBEAM_URL', !secretKey && 'LEADBEAM_SECRET_KEY'].filter(Boolean);
  if (!baseUrl || !secretKey) {
    console.error(
      `Missing ${missing.join(' and ')}.\n` +
        'Set LEADBEAM_URL to the collector (e.g. http://127.0.0.1:8787) and LEADBEAM_SECRET_KEY to the\n' +
        "site's secret key (sk_…, printed by `pnpm start`).",
    );
    return 2;
  }
  const result = await readMqls(createLeadbeamClient({ baseUrl, secretKey }));
  if (!result.ok) {
    const { status, code, message } = result.error;
    console.error(`Could not list MQLs: ${message} (${code}${status ? `, HTTP ${status}` : ''})`);
    return 1;
  }
  console.log(formatMqls(result.leads));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main();
}
