import { and, asc, eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/database.ts';
import { scoringRules, sites } from '../db/schema.ts';
import { createPublicKey, createSecretKey, createSiteId, hashSecretKey } from './keys.ts';
import { type SiteSettings, siteSettingsSchema } from './site-settings.ts';

export type Site = {
  id: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  settings: SiteSettings;
  rulesVersion: number;
  createdAt: Date;
};

export type CreatedSite = { id: string; name: string; publicKey: string; secretKey: string };

function toSite(row: typeof sites.$inferSelect): Site {
  return {
    id: row.id,
    name: row.name,
    publicKey: row.publicKey,
    allowedOrigins: row.allowedOrigins,
    settings: siteSettingsSchema.parse(row.settings ?? {}),
    rulesVersion: row.rulesVersion,
    createdAt: row.createdAt,
  };
}

/** Normalises an allowed origin (`https://Acme.test/` → `https://acme.test`); throws on junk. */
export function normalizeOrigin(origin: string): string {
  if (!URL.canParse(origin)) throw new Error(`not a URL: ${origin}`);
  const url = new URL(origin);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`not an http(s) origin: ${origin}`);
  return url.origin;
}

/** Creates a site with fresh keys and its first scoring rules. The secret key is returned once, here. */
export async function createSite(
  db: Db,
  input: { name: string; origins?: string[]; rules: unknown; settings?: SiteSettings },
): Promise<CreatedSite> {
  const created = {
    id: createSiteId(),
    name: input.name,
    publicKey: createPublicKey(),
    secretKey: createSecretKey(),
  };
  await db.transaction(async (tx) => {
    await tx.insert(sites).values({
      id: created.id,
      name: input.name,
      publicKey: created.publicKey,
      secretKeyHash: hashSecretKey(created.secretKey),
      allowedOrigins: (input.origins ?? []).map(normalizeOrigin),
      settings: input.settings ?? { urlRules: [] },
      rulesVersion: 1,
    });
    await tx.insert(scoringRules).values({ siteId: created.id, version: 1, rules: input.rules });
  });
  return created;
}

export async function listSites(db: Executor): Promise<Site[]> {
  const rows = await db.select().from(sites).orderBy(asc(sites.createdAt), asc(sites.id));
  return rows.map(toSite);
}

export async function findSiteByPublicKey(db: Executor, publicKey: string): Promise<Site | null> {
  const [row] = await db.select().from(sites).where(eq(sites.publicKey, publicKey)).limit(1);
  return row ? toSite(row) : null;
}

/** The id of the site whose secret key has this hash (`hashSecretKey`); null when none has. */
export async function findSiteIdBySecretKeyHash(db: Executor, keyHash: string): Promise<string | null> {
  const [row] = await db
    .select({ id: sites.id })
    .from(sites)
    .where(eq(sites.secretKeyHash, keyHash))
    .limit(1);
  return row?.id ?? null;
}

export async function findSite(db: Executor, id: string): Promise<Site | null> {
  const [row] = await db.select().from(sites).where(eq(sites.id, id)).limit(1);
  return row ? toSite(row) : null;
}

/** Replaces the secret key (and the public key too when asked); the old ones stop working at once. */
export async function rotateSiteKeys(
  db: Executor,
  siteId: string,
  options: { publicKey?: boolean } = {},
): Promise<{ id: string; publicKey: string; secretKey: string } | null> {
  const secretKey = createSecretKey();
  const changes: Partial<typeof sites.$inferInsert> = { secretKeyHash: hashSecretKey(secretKey) };
  if (options.publicKey) changes.publicKey = createPublicKey();
  const [row] = await db.update(sites).set(changes).where(eq(sites.id, siteId)).returning();
  return row ? { id: row.id, publicKey: row.publicKey, secretKey } : null;
}

export async function updateSiteSettings(
  db: Executor,
  siteId: string,
  changes: { origins?: string[]; settings?: SiteSettings },
): Promise<void> {
  const set: Partial<typeof sites.$inferInsert> = {};
  if (changes.origins) set.allowedOrigins = changes.origins.map(normalizeOrigin);
  if (changes.settings) set.settings = changes.settings;
  await db
    .update(sites)
    .set(set)
    .where(and(eq(sites.id, siteId)));
}
