/**
 * Speed never hides loss: after a load step, the database must hold every event of every
 * acknowledged batch, none of a batch answered 503, and nothing twice. The expected ids are
 * rebuilt in SQL from the batch numbers (see `benchEventId`).
 */
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../../collector/src/db/database.ts';
import { EVENTS_PER_BATCH } from './batches.ts';

export type Verification = {
  expected: number;
  stored: number;
  lost: number;
  /** Stored events of batches that were answered 503. */
  storedOfRefused: number;
  /** Stored events of batches that got no answer (timeouts, resets): not loss, not acknowledged. */
  unacknowledged: number;
  duplicated: number;
  ok: boolean;
};

const idOf = (run: string, step: number) =>
  sql`${run} || '-' || ${step.toString(16).padStart(4, '0')} || '-4' || lpad(to_hex(i), 3, '0') || '-8000-' || lpad(to_hex(seq), 12, '0')`;

const seqs = (list: number[]) =>
  sql`(select value::int as seq from jsonb_array_elements_text(${JSON.stringify(list)}::jsonb))`;

export async function verifyStep(
  db: Executor,
  input: {
    siteId: string;
    run: string;
    step: number;
    acked: number[];
    refused: number[];
    duplicatesAnswered: number;
  },
): Promise<Verification> {
  const prefix = `${input.run}-${input.step.toString(16).padStart(4, '0')}-%`;
  const [row] = await queryRows<{ stored: number; distinct: number; lost: number; refused: number }>(
    db,
    sql`with acked as (select ${idOf(input.run, input.step)} as id
                       from ${seqs(input.acked)} s cross join generate_series(0, ${EVENTS_PER_BATCH - 1}) i),
             refused as (select ${idOf(input.run, input.step)} as id
                       from ${seqs(input.refused)} s cross join generate_series(0, ${EVENTS_PER_BATCH - 1}) i),
             stored as (select id from events where site_id = ${input.siteId} and id like ${prefix})
        select (select count(*) from stored)::int as stored,
               (select count(distinct id) from stored)::int as distinct,
               (select count(*) from acked a where not exists (select 1 from stored s where s.id = a.id))::int as lost,
               (select count(*) from refused r where exists (select 1 from stored s where s.id = r.id))::int as refused`,
  );
  const expected = input.acked.length * EVENTS_PER_BATCH;
  const stored = row?.stored ?? 0;
  const lost = row?.lost ?? 0;
  const duplicated = stored - (row?.distinct ?? 0) + input.duplicatesAnswered;
  const storedOfRefused = row?.refused ?? 0;
  const unacknowledged = stored - (expected - lost) - storedOfRefused;
  return {
    expected,
    stored,
    lost,
    storedOfRefused,
    unacknowledged,
    duplicated,
    ok: lost === 0 && duplicated === 0 && storedOfRefused === 0,
  };
}
