import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failUnlessAllStored } from '../ingest/write-sql.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../testing/test-databases.ts';
import { queryRows, writeTransaction } from './database.ts';
import { isGuardFailure } from './db-errors.ts';
import { asOneStatement } from './one-statement.ts';

describe.each(DATABASE_KINDS)('the write transaction on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await database.db.execute(sql`create table probe (id int primary key)`);
  });
  afterAll(() => database.drop());

  const ids = async () =>
    (await queryRows<{ id: number }>(database.db, sql`select id from probe order by id`)).map((r) => r.id);
  const clear = () => database.db.execute(sql`delete from probe`);

  it('commits the statements before commit and the one given to it', async () => {
    await clear();
    const answer = await writeTransaction(database, async (tx, commit) => {
      await tx.execute(sql`insert into probe values (1)`);
      await commit(sql`insert into probe values (2)`);
      return 'done';
    });
    expect(answer).toBe('done');
    expect(await ids()).toEqual([1, 2]);
  });

  it('rolls everything back when the work throws before committing', async () => {
    await clear();
    await expect(
      writeTransaction(database, async (tx) => {
        await tx.execute(sql`insert into probe values (3)`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await ids()).toEqual([]);
  });

  it('throws the error of the statement given to commit, and commits nothing', async () => {
    await clear();
    await database.db.execute(sql`insert into probe values (9)`);
    const failed = await writeTransaction(database, async (tx, commit) => {
      await tx.execute(sql`insert into probe values (4)`);
      await commit(sql`insert into probe values (9)`);
    }).catch((error: unknown) => error);
    expect(JSON.stringify(failed, Object.getOwnPropertyNames(failed)) + String(failed)).toMatch(
      /23505|duplicate key/,
    );
    expect(await ids()).toEqual([9]);
  });

  it('fails a one-statement write whose guard finds a row not stored, so nothing commits', async () => {
    await clear();
    await database.db.execute(sql`insert into probe values (7)`);
    const write = (values: number[]) =>
      asOneStatement(
        [
          [
            'stored',
            sql`insert into probe select unnest(${`{${values.join(',')}}`}::int[]) on conflict do nothing returning 1`,
          ],
        ],
        failUnlessAllStored('stored', values.length),
      );
    const failed = await writeTransaction(database, async (_tx, commit) => commit(write([5, 7]))).catch(
      (error: unknown) => error,
    );
    expect(isGuardFailure(failed)).toBe(true);
    expect(await ids()).toEqual([7]);
    await writeTransaction(database, async (_tx, commit) => commit(write([5, 6])));
    expect(await ids()).toEqual([5, 6, 7]);
  });
});
