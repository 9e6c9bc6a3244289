import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { NoLoseClient } from '../../server/database/pg-client.js';
import { createTestApp, type TestApp } from '../support/app.js';

describe('NoLoseClient (the pool connections of the app)', () => {
  let t: TestApp;
  let client: NoLoseClient;

  beforeAll(async () => {
    t = await createTestApp();
    client = new NoLoseClient({ connectionString: t.databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await t?.close();
  });

  it('is the client class of the app pool, so every TypeORM statement goes through it', async () => {
    const pool = (t.db.driver as PostgresDriver).master as pg.Pool;
    const checkedOut = await pool.connect();
    try {
      expect(checkedOut).toBeInstanceOf(NoLoseClient);
      // What TypeORM's query runner calls: the promise form, on that connection.
      const runner = t.db.createQueryRunner();
      try {
        await expect(runner.query('SELECT 41 + 1 AS answer')).resolves.toEqual([{ answer: 42 }]);
      } finally {
        await runner.release();
      }
    } finally {
      checkedOut.release();
    }
  });

  it('answers the promise form with the whole result, for text, values and named statements', async () => {
    const plain = await client.query('SELECT 1 AS one');
    expect(plain.rows).toEqual([{ one: 1 }]);
    expect(plain.rowCount).toBe(1);
    expect(plain.fields.map((f) => f.name)).toEqual(['one']);

    const withValues = await client.query('SELECT $1::int + $2::int AS sum', [2, 3]);
    expect(withValues.rows).toEqual([{ sum: 5 }]);

    const named = { name: 'nolose_test_echo', text: 'SELECT $1::text AS echo', values: ['hi'] };
    expect((await client.query(named)).rows).toEqual([{ echo: 'hi' }]);
    expect((await client.query({ ...named, values: ['again'] })).rows).toEqual([{ echo: 'again' }]);
  });

  it('rejects with PostgreSQL’s error and a stack that leads back to the caller', async () => {
    const failing = client.query('SELECT * FROM no_such_table');
    await expect(failing).rejects.toMatchObject({
      code: '42P01',
      message: 'relation "no_such_table" does not exist',
    });
    const err = (await failing.catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect(err.stack).toContain('pg-client.e2e-spec');
    // The connection stays usable.
    expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('leaves the callback form and submittable queries to pg', async () => {
    const viaCallback = await new Promise<pg.QueryResult>((resolve, reject) => {
      client.query('SELECT 3 AS three', (err: Error | null, res: pg.QueryResult) =>
        err ? reject(err) : resolve(res),
      );
    });
    expect(viaCallback.rows).toEqual([{ three: 3 }]);

    const submittable = new pg.Query('SELECT 4 AS four');
    const rows: unknown[] = [];
    submittable.on('row', (row: unknown) => rows.push(row));
    const returned = client.query(submittable);
    expect(returned).toBe(submittable);
    await new Promise((resolve, reject) => {
      submittable.on('end', resolve);
      submittable.on('error', reject);
    });
    expect(rows).toEqual([{ four: 4 }]);
  });
});
