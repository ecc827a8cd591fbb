import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import type { Commit, Db, Executor } from './database.ts';
import { isUnavailableError } from './db-errors.ts';

const dialect = new PgDialect();

/**
 * The write transaction on PostgreSQL, pipelined on one reserved connection: BEGIN travels with
 * the work's first statement, and COMMIT with its last, so a group that writes in two statements
 * costs two round trips.
 *
 * Why not `sql.begin`: postgres.js waits for BEGIN's answer before running the work and for the
 * last statement's answer before sending COMMIT — four round trips, each a write, a wake-up of the
 * backend and a wake-up of the collector on a machine whose two cores are both busy.
 *
 * A failed statement aborts the transaction on the server, and a COMMIT sent behind it then rolls
 * back (PostgreSQL answers it with ROLLBACK, not an error): nothing is stored, and the statement's
 * own error is what the caller sees. `commit` must be the work's last step.
 */
export async function pipelinedTransaction<T>(
  client: Sql,
  bind: (connection: Sql) => Db,
  work: (tx: Executor, commit: Commit) => Promise<T>,
): Promise<T> {
  const connection = await client.reserve();
  let connectionLost = false;
  const observe = <R>(statement: Promise<R>): Promise<R> => {
    const observed = statement.catch((error: unknown) => {
      if (isUnavailableError(error)) connectionLost = true;
      throw error;
    });
    observed.catch(() => {}); // awaited below; a failure must never go unhandled meanwhile
    return observed;
  };
  let commitSent = false;
  let begin: Promise<unknown> = Promise.resolve();
  try {
    const tx = bind(connection);
    // Sent now: postgres.js hands queries to the connection in the order they are made.
    begin = observe(connection`begin`.execute());
    const result = await work(tx, async (last: SQL | null) => {
      // Both straight to postgres.js, one after the other, so COMMIT is queued behind the
      // statement (drizzle's own execute takes a few promise turns before it hands a query on).
      const query = last && dialect.sqlToQuery(last);
      const statement = query
        ? observe(connection.unsafe(query.sql, query.params as never[], { prepare: true }).execute())
        : Promise.resolve();
      const commit = observe(connection`commit`.execute());
      commitSent = true;
      await begin;
      await statement;
      await commit;
    });
    await begin;
    if (!commitSent) {
      commitSent = true;
      await observe(connection`commit`.execute());
    }
    return result;
  } catch (error) {
    // The work's own statements fail with the connection too (drizzle wraps their errors).
    if (isUnavailableError(error)) connectionLost = true;
    if (!commitSent && !connectionLost) await observe(connection`rollback`.execute()).catch(() => {});
    throw error;
  } finally {
    // A connection that closed is already back in postgres.js's pool of closed connections (it
    // reconnects on demand); releasing it would hand a dead socket to the next query.
    if (!connectionLost) connection.release();
  }
}
