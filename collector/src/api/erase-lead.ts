import { sql } from 'drizzle-orm';
import { type Db, type Executor, queryRows } from '../db/database.ts';

export type Erased = { leads: number; devices: number; sessions: number; events: number };

const deleted = async (tx: Executor, statement: ReturnType<typeof sql>) =>
  (
    await queryRows<{ n: number }>(
      tx,
      sql`with gone as (${statement} returning 1) select count(*)::int as n from gone`,
    )
  )[0]?.n ?? 0;

/**
 * Erases a person, in one transaction: the live lead, every lead merged into it, and their
 * devices, sessions, events, merge log (both directions), stage transitions and webhook
 * deliveries. Null when the site has no such live lead.
 */
export async function eraseLead(db: Db, siteId: string, leadId: string): Promise<Erased | null> {
  return db.transaction(async (tx) => {
    const ids = (
      await queryRows<{ id: string }>(
        tx,
        sql`with recursive person(id) as (
              select id from leads where site_id = ${siteId} and id = ${leadId} and merged_into is null
              union
              select l.id from leads l join person p on l.merged_into = p.id where l.site_id = ${siteId}
            )
            select l.id from leads l join person p on l.id = p.id where l.site_id = ${siteId}
            order by l.id for update of l`,
      )
    ).map((row) => row.id);
    if (ids.length === 0) return null;
    const events = await deleted(tx, sql`delete from events where site_id = ${siteId} and lead_id in ${ids}`);
    const sessions = await deleted(
      tx,
      sql`delete from sessions where site_id = ${siteId} and lead_id in ${ids}`,
    );
    const devices = await deleted(
      tx,
      sql`delete from devices where site_id = ${siteId} and lead_id in ${ids}`,
    );
    await tx.execute(
      sql`delete from lead_merges where site_id = ${siteId} and (from_lead_id in ${ids} or to_lead_id in ${ids})`,
    );
    await tx.execute(sql`delete from lead_transitions where site_id = ${siteId} and lead_id in ${ids}`);
    await tx.execute(sql`delete from webhook_deliveries where site_id = ${siteId} and lead_id in ${ids}`);
    const leads = await deleted(tx, sql`delete from leads where site_id = ${siteId} and id in ${ids}`);
    return { leads, devices, sessions, events };
  });
}
