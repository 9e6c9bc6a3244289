import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/factories.js';
import {
  customerWaId,
  metaContact,
  metaMessage,
  metaNotification,
  META_TYPES,
  postWebhook,
  wamid,
  webhookEnv,
} from '../support/meta.js';
import { answersBefore, connectionThatWrote, inOneWrite, onTheWire } from '../support/wire.js';

/**
 * A webhook group answers the routes of numbers this instance has looked up before from
 * memory, and confirms them in its own transaction (NumbersService.resolve).
 */
describe('webhook routes of known numbers', () => {
  let t: TestApp;
  let firstWorkspace: number;
  let secondWorkspace: number;

  beforeAll(async () => {
    t = await createTestApp(webhookEnv());
    await createUser(t, { name: 'First Owner' });
    await createUser(t, { name: 'Second Owner' });
    [firstWorkspace, secondWorkspace] = (
      await t.db.query<{ id: number }[]>(`SELECT id FROM workspaces ORDER BY id`)
    ).map((w) => w.id);
  });

  afterAll(async () => {
    await t?.close();
  });

  const register = async (phoneNumberId: string, workspaceId: number): Promise<void> => {
    await t.db.query(
      `INSERT INTO whatsapp_numbers (workspace_id, phone_number_id, display_phone_number)
       VALUES ($1, $2, '15550001111')`,
      [workspaceId, phoneNumberId],
    );
  };

  /** Posts one customer message to `phoneNumberId`; answers its wamid. */
  const deliver = async (phoneNumberId: string): Promise<string> => {
    const from = customerWaId();
    const id = wamid();
    await postWebhook(
      t,
      metaNotification({
        phoneNumberId,
        displayPhoneNumber: '15550001111',
        contacts: [metaContact(from, 'Route Customer')],
        messages: [metaMessage(from, META_TYPES.text('which workspace?'), { id })],
      }),
    ).expect(200);
    return id;
  };

  const storedIn = async (id: string): Promise<number[]> =>
    (
      await t.db.query<{ workspace_id: number }[]>(
        `SELECT workspace_id FROM messages WHERE wa_message_id = $1`,
        [id],
      )
    ).map((r) => r.workspace_id);

  const outcomeOf = async (id: string): Promise<string> => {
    const [row] = await t.db.query<{ outcome: string }[]>(
      `SELECT outcome FROM webhook_events WHERE payload::text LIKE $1`,
      [`%${id}%`],
    );
    return row.outcome;
  };

  it('sends a known number’s lookup with the group’s first write instead of waiting for it', async () => {
    await register('777000111', firstWorkspace);
    const pool = (t.db.driver as PostgresDriver).master as pg.Pool;
    let first = '';
    const firstLogs = await onTheWire(pool, async () => {
      first = await deliver('777000111');
    });
    let second = '';
    const secondLogs = await onTheWire(pool, async () => {
      second = await deliver('777000111');
    });
    // New to this instance: the contacts statement waits for START TRANSACTION and the lookup.
    expect(answersBefore(connectionThatWrote(firstLogs, first), first)).toBe(2);
    // Known: it goes out with them, in one write.
    const wire = connectionThatWrote(secondLogs, second);
    expect(answersBefore(wire, second)).toBe(0);
    expect(inOneWrite(wire, 'START TRANSACTION', second)).toBe(true);
    expect(await storedIn(second)).toEqual([firstWorkspace]);
  });

  it('stores in the new workspace when a known number was given to another one meanwhile', async () => {
    await register('777000222', firstWorkspace);
    const before = await deliver('777000222');
    expect(await storedIn(before)).toEqual([firstWorkspace]);

    await t.db.query(`DELETE FROM whatsapp_numbers WHERE phone_number_id = '777000222'`);
    await register('777000222', secondWorkspace);
    const after = await deliver('777000222');
    expect(await storedIn(after)).toEqual([secondWorkspace]);
    expect(await outcomeOf(after)).toBe('processed');
  });

  it('keeps a webhook for a number removed meanwhile as unknown_number, not failed', async () => {
    await register('777000333', firstWorkspace);
    expect(await storedIn(await deliver('777000333'))).toEqual([firstWorkspace]);

    await t.db.query(`DELETE FROM whatsapp_numbers WHERE phone_number_id = '777000333'`);
    const after = await deliver('777000333');
    expect(await storedIn(after)).toEqual([]);
    expect(await outcomeOf(after)).toBe('unknown_number');
  });
});
