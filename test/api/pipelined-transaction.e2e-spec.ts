import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { QueryFailedError } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { pipelinedTransaction } from '../../server/database/pipelined-transaction.js';
import { Workspace } from '../../server/workspaces/workspace.entity.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { answersBefore, connectionThatWrote, inOneWrite, onTheWire } from '../support/wire.js';

describe('pipelinedTransaction (a webhook group’s transaction)', () => {
  let t: TestApp;
  let pool: pg.Pool;

  beforeAll(async () => {
    t = await createTestApp();
    pool = (t.db.driver as PostgresDriver).master as pg.Pool;
    await t.db.query(`CREATE TABLE pipelined_probe (id integer PRIMARY KEY, note text)`);
  });

  afterEach(async () => {
    await t.db.query(`DELETE FROM pipelined_probe`);
  });

  afterAll(async () => {
    await t?.close();
  });

  const notes = async (): Promise<string[]> =>
    (await t.db.query<{ note: string }[]>(`SELECT note FROM pipelined_probe ORDER BY id`)).map(
      (r) => r.note,
    );

  it('commits the work and the last statement, and answers the work’s value', async () => {
    const value = await pipelinedTransaction(t.db, async (manager) => {
      await manager.query(`INSERT INTO pipelined_probe VALUES (1, 'first')`);
      return {
        value: 'done',
        last: { text: `INSERT INTO pipelined_probe VALUES ($1, $2)`, values: [2, 'last'] },
      };
    });
    expect(value).toBe('done');
    expect(await notes()).toEqual(['first', 'last']);
  });

  it('writes START TRANSACTION with the first statement, and COMMIT with the last', async () => {
    const logs = await onTheWire(pool, () =>
      pipelinedTransaction(t.db, async (manager) => {
        await manager.query(`SELECT 'first statement' AS marker`);
        await manager.query(`SELECT 'middle statement' AS marker`);
        return {
          value: null,
          last: { text: `INSERT INTO pipelined_probe VALUES (1, 'last statement')`, values: [] },
        };
      }),
    );
    const events = connectionThatWrote(logs, 'first statement');
    // Pipelined: written before the answer to the query before them had come back.
    expect(answersBefore(events, 'START TRANSACTION')).toBe(0);
    expect(answersBefore(events, 'first statement')).toBe(0);
    // The statements in between wait for the answers they may need.
    expect(answersBefore(events, 'middle statement')).toBe(2);
    expect(answersBefore(events, 'last statement')).toBe(3);
    expect(answersBefore(events, 'COMMIT')).toBe(3);
    // And each pipelined pair in one write.
    expect(inOneWrite(events, 'START TRANSACTION', 'first statement')).toBe(true);
    expect(inOneWrite(events, 'last statement', 'COMMIT')).toBe(true);
    expect(inOneWrite(events, 'first statement', 'middle statement')).toBe(false);
    expect(await notes()).toEqual(['last statement']);
  });

  it('commits nothing when the last statement fails, and throws its error', async () => {
    await t.db.query(`INSERT INTO pipelined_probe VALUES (9, 'already there')`);
    const failing = pipelinedTransaction(t.db, async (manager) => {
      await manager.query(`INSERT INTO pipelined_probe VALUES (1, 'work')`);
      return {
        value: null,
        last: { text: `INSERT INTO pipelined_probe VALUES ($1, 'clash')`, values: [9] },
      };
    });
    const err = await failing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryFailedError);
    expect(err).toMatchObject({ driverError: { code: '23505' } });
    expect(await notes()).toEqual(['already there']);
  });

  it('rolls back when the work throws, and leaves the connection usable', async () => {
    const boom = new Error('work failed');
    await expect(
      pipelinedTransaction(t.db, async (manager) => {
        await manager.query(`INSERT INTO pipelined_probe VALUES (1, 'work')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await notes()).toEqual([]);
    // Every connection of the pool is idle and outside a transaction again.
    const clients = await Promise.all(
      Array.from({ length: pool.totalCount }, () => pool.connect()),
    );
    try {
      for (const client of clients) {
        const [{ state }] = (
          await client.query<{ state: string }>(
            `SELECT CASE WHEN now() = statement_timestamp() THEN 'idle' ELSE 'in transaction' END AS state`,
          )
        ).rows;
        expect(state).toBe('idle');
      }
    } finally {
      for (const client of clients) client.release();
    }
  });

  it('throws when a failure the work caught itself made PostgreSQL roll back', async () => {
    await expect(
      pipelinedTransaction(t.db, async (manager) => {
        await manager.query(`INSERT INTO pipelined_probe VALUES (1, 'work')`);
        await manager.query(`SELECT * FROM no_such_table`).catch(() => undefined);
        return { value: null, last: null };
      }),
    ).rejects.toThrow('The transaction was rolled back (COMMIT answered ROLLBACK)');
    expect(await notes()).toEqual([]);
  });

  it('keeps TypeORM’s own writes in it: an entity save does not commit on its own', async () => {
    const name = `Pipelined ${Date.now()}`;
    await expect(
      pipelinedTransaction(t.db, async (manager) => {
        // save() wraps itself in a transaction unless its runner is in one already.
        await manager.getRepository(Workspace).save({ name });
        return { value: null, last: { text: `SELECT * FROM no_such_table`, values: [] } };
      }),
    ).rejects.toMatchObject({ driverError: { code: '42P01' } });
    expect(await t.db.getRepository(Workspace).countBy({ name })).toBe(0);
  });
});
