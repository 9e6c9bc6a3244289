import { Note } from '../http/messaging.model';
import { LIVE_EVENT_TYPES, parseLiveEvent } from './live-event.model';

describe('parseLiveEvent', () => {
  const note: Note = {
    id: 12,
    conversation_id: 7,
    author: { id: 2, name: 'Bob' },
    body: 'Customer wants a refund,\nwaiting for Maria’s OK',
    created_at: '2026-11-24T11:58:00Z',
  };

  it('listens for note.created', () => {
    expect(LIVE_EVENT_TYPES).toContain('note.created');
  });

  it('reads note.created with its note, author or not', () => {
    expect(parseLiveEvent('note.created', '51', JSON.stringify({ note }))).toEqual({
      type: 'note.created',
      id: '51',
      data: { note },
    });
    const orphan = { ...note, author: null };
    expect(parseLiveEvent('note.created', '52', JSON.stringify({ note: orphan }))).toEqual({
      type: 'note.created',
      id: '52',
      data: { note: orphan },
    });
  });

  it('drops a malformed note.created', () => {
    const frames = [
      'not json',
      'null',
      JSON.stringify({}),
      JSON.stringify({ note: null }),
      JSON.stringify({ note: 'Customer wants a refund' }),
      JSON.stringify({ note: { ...note, id: undefined } }),
      JSON.stringify({ note: { ...note, conversation_id: '7' } }),
      JSON.stringify({ note: { ...note, body: null } }),
      // A message.created payload sent under the wrong name.
      JSON.stringify({ message: { id: 1 }, conversation: { id: 7 } }),
    ];
    for (const raw of frames) {
      expect(parseLiveEvent('note.created', '53', raw)).toBeNull();
    }
  });

  it('drops event types it does not know', () => {
    expect(parseLiveEvent('note.deleted', '54', JSON.stringify({ note }))).toBeNull();
  });
});
