import { describe, expect, it } from '@jest/globals';
import { parseNotification } from './meta-notification.js';

const receivedAt = new Date('2026-11-24T10:00:00.000Z');
const value = (phoneNumberId: string, extra: Record<string, unknown> = {}) => ({
  messaging_product: 'whatsapp',
  metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
  ...extra,
});
const text = (from: string, id: string) => ({
  from,
  id,
  timestamp: '1749416383',
  type: 'text',
  text: { body: id },
});

describe(parseNotification.name, () => {
  it('reads every entry, change, message and status, in payload order', () => {
    const parsed = parseNotification(
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: 'waba',
            changes: [
              {
                field: 'messages',
                value: value('1', {
                  contacts: [{ wa_id: 'a' }],
                  messages: [text('a', 'm1'), text('a', 'm2')],
                }),
              },
              {
                field: 'messages',
                value: value('2', { statuses: [{ id: 's1', status: 'sent', timestamp: '1' }] }),
              },
            ],
          },
          {
            id: 'waba',
            changes: [{ field: 'messages', value: value('1', { messages: [text('b', 'm3')] }) }],
          },
        ],
      },
      receivedAt,
    );
    expect(parsed.ignoredReason).toBeNull();
    expect(parsed.problems).toEqual([]);
    expect(
      parsed.changes.map((c) => [
        c.phoneNumberId,
        c.messages.map((m) => m.waMessageId),
        c.statuses.map((s) => s.waMessageId),
      ]),
    ).toEqual([
      ['1', ['m1', 'm2'], []],
      ['2', [], ['s1']],
      ['1', ['m3'], []],
    ]);
    expect(parsed.changes[0].displayPhoneNumber).toBe('15550783881');
  });

  it.each([
    ['not an object', [1, 2], /not a JSON object/],
    ['another object', { object: 'page', entry: [] }, /object is "page"/],
    ['no entry array', { object: 'whatsapp_business_account', entry: {} }, /no entry array/],
    [
      'no changes',
      { object: 'whatsapp_business_account', entry: [{ id: 'x' }] },
      /no usable messages change/,
    ],
    [
      'only other fields',
      {
        object: 'whatsapp_business_account',
        entry: [{ changes: [{ field: 'account_update', value: {} }] }],
      },
      /other fields: account_update/,
    ],
  ])('ignores %s', (_name, body, reason) => {
    const parsed = parseNotification(body, receivedAt);
    expect(parsed.ignoredReason).toMatch(reason);
    expect(parsed.changes).toEqual([]);
  });

  it('reports malformed parts with their place and keeps the rest', () => {
    const parsed = parseNotification(
      {
        object: 'whatsapp_business_account',
        entry: [
          null,
          {
            changes: [
              { field: 'messages', value: { metadata: {} } },
              {
                field: 'messages',
                value: value('1', {
                  contacts: [{ profile: { name: 'no id' } }],
                  messages: [text('a', 'ok'), 'junk'],
                  errors: [{ code: 131000, title: 'Something went wrong' }],
                }),
              },
            ],
          },
        ],
      },
      receivedAt,
    );
    expect(parsed.ignoredReason).toBeNull();
    expect(parsed.changes).toHaveLength(1);
    expect(parsed.changes[0].messages.map((m) => m.waMessageId)).toEqual(['ok']);
    expect(parsed.problems).toEqual([
      'entry[0]: not an object',
      'entry[1].changes[0]: no value.metadata.phone_number_id: skipped',
      'entry[1].changes[1].value.contacts[0]: neither wa_id nor user_id',
      'entry[1].changes[1].value.messages[1]: not an object: skipped',
      'entry[1].changes[1].value.errors: Meta reported 131000 Something went wrong',
    ]);
  });
});
