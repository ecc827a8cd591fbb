import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_SCORING_RULES, parseScoringRules } from '@leadbeam/scoring';
import { type Config, parseConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { openConfiguredDatabase } from '../runtime.ts';
import { rescoreSite } from '../scoring/rescore-site.ts';
import { loadCurrentRules, saveRules } from '../scoring/rules-store.ts';
import { createSite, findSite, listSites, rotateSiteKeys } from '../sites/site-store.ts';

export const USAGE = `Usage: leadbeam <command> [options]

Commands:
  migrate                                   apply pending database migrations
  sites create --name N [--origin URL]... [--scoring rules.json] [--json]
                                            create a site; prints its keys (the secret key only this once)
  sites list [--json]                       list sites
  sites rotate-key --site ID [--public] [--json]
                                            replace the secret key (and the public key with --public)
  scoring get --site ID                     print the site's current rules
  scoring set --site ID --file rules.json   validate, store as a new version, re-score every lead

The database is DATABASE_URL, or PGlite in LEADBEAM_DATA_DIR (default ./.leadbeam).`;

/** A refusal the user can fix: printed without a stack, exit code 2. */
export class UsageError extends Error {}

export type CliIo = {
  out: (line: string) => void;
  env: Record<string, string | undefined>;
  now?: () => Date;
};

async function readRulesFile(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  });
  let rules: unknown;
  try {
    rules = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not valid JSON`);
  }
  const parsed = parseScoringRules(rules);
  if (!parsed.ok) {
    throw new UsageError(
      `${path} has invalid rules:\n${parsed.issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
  }
  return rules;
}

function requireOption(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`missing --${name}\n\n${USAGE}`);
  return value;
}

/** Runs one CLI command; every refusal is a UsageError with a message naming what is wrong. */
export async function runCli(argv: string[], io: CliIo): Promise<void> {
  const [group, action, ...rest] = argv;
  if (!group || group === 'help' || group === '--help') {
    io.out(USAGE);
    return;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: group === 'migrate' ? [action, ...rest].filter((a): a is string => a !== undefined) : rest,
      options: {
        name: { type: 'string' },
        origin: { type: 'string', multiple: true },
        scoring: { type: 'string' },
        site: { type: 'string' },
        file: { type: 'string' },
        public: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const options = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const config = parseConfig(io.env);
  if (!config.ok) throw new UsageError(config.message);
  const command = group === 'migrate' ? 'migrate' : `${group} ${action ?? ''}`.trim();
  const known = ['migrate', 'sites create', 'sites list', 'sites rotate-key', 'scoring get', 'scoring set'];
  if (!known.includes(command)) throw new UsageError(`unknown command: ${command}\n\n${USAGE}`);

  const rulesFile = typeof options.scoring === 'string' ? await readRulesFile(options.scoring) : undefined;
  const setFile =
    command === 'scoring set'
      ? await readRulesFile(requireOption(options.file as string, 'file'))
      : undefined;
  const database = await openConfiguredDatabase(config.config as Config);
  try {
    await runCommand(command, options, database, io, rulesFile, setFile);
  } finally {
    await database.close();
  }
}

async function runCommand(
  command: string,
  options: Record<string, string | string[] | boolean | undefined>,
  database: Database,
  io: CliIo,
  rulesFile: unknown,
  setFile: unknown,
): Promise<void> {
  const { db } = database;
  const json = options.json === true;
  const siteOption = () => requireOption(options.site as string | undefined, 'site');
  switch (command) {
    case 'migrate':
      io.out(`migrations applied (${database.kind})`);
      return;
    case 'sites create': {
      const name = requireOption(options.name as string | undefined, 'name');
      let created: Awaited<ReturnType<typeof createSite>>;
      try {
        created = await createSite(db, {
          name,
          origins: (options.origin as string[] | undefined) ?? [],
          rules: rulesFile ?? DEFAULT_SCORING_RULES,
        });
      } catch (error) {
        if ((error as Error).message.startsWith('not '))
          throw new UsageError(`--origin: ${(error as Error).message}`);
        throw error;
      }
      io.out(
        json
          ? JSON.stringify({ id: created.id, publicKey: created.publicKey, secretKey: created.secretKey })
          : `site ${created.id} (${name})\n  public key: ${created.publicKey}\n  secret key: ${created.secretKey}   (shown once: store it now)`,
      );
      return;
    }
    case 'sites list': {
      const sites = await listSites(db);
      if (json) {
        io.out(
          JSON.stringify(
            sites.map(({ id, name, publicKey, allowedOrigins, rulesVersion, createdAt }) => ({
              id,
              name,
              publicKey,
              allowedOrigins,
              rulesVersion,
              createdAt,
            })),
          ),
        );
      } else if (sites.length === 0) {
        io.out('no sites yet: leadbeam sites create --name "My site" --origin https://example.com');
      } else {
        for (const site of sites) {
          io.out(
            `${site.id}  ${site.name}  ${site.publicKey}  origins: ${site.allowedOrigins.join(', ') || 'any'}  rules v${site.rulesVersion}`,
          );
        }
      }
      return;
    }
    case 'sites rotate-key': {
      const rotated = await rotateSiteKeys(db, siteOption(), { publicKey: options.public === true });
      if (!rotated) throw new UsageError(`no site ${options.site}`);
      io.out(
        json
          ? JSON.stringify(rotated)
          : `site ${rotated.id}\n  public key: ${rotated.publicKey}\n  secret key: ${rotated.secretKey}   (shown once)`,
      );
      return;
    }
    case 'scoring get': {
      const siteId = siteOption();
      if (!(await findSite(db, siteId))) throw new UsageError(`no site ${siteId}`);
      const current = await loadCurrentRules(db, siteId);
      io.out(JSON.stringify({ version: current.version, rules: current.rules.source }, null, 2));
      return;
    }
    case 'scoring set': {
      const siteId = siteOption();
      if (!(await findSite(db, siteId))) throw new UsageError(`no site ${siteId}`);
      const saved = await saveRules(db, siteId, setFile);
      if (!saved.ok) throw new UsageError(saved.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
      const rescored = await rescoreSite(db, siteId, io.now?.() ?? new Date());
      io.out(
        `rules v${saved.version} stored; re-scored ${rescored.leads} leads from ${rescored.events} events`,
      );
      return;
    }
  }
}
