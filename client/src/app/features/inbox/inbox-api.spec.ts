import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { Contact, Note } from '../../core/http/messaging.model';
import { InboxApi } from './inbox-api';

describe(InboxApi.name, () => {
  let http: HttpTestingController;
  let api: InboxApi;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    api = TestBed.inject(InboxApi);
  });

  afterEach(() => http.verify());

  const contact: Contact = {
    id: 70,
    wa_id: '37125550070',
    name: 'Ana (VIP order)',
    profile_name: 'Ana',
    created_at: '2026-11-01T00:00:00Z',
  };

  it('renames a contact with PATCH /api/contacts/:id {name}', async () => {
    const answer = firstValueFrom(api.updateContact(70, { name: 'Ana (VIP order)' }));
    const req = http.expectOne('/api/contacts/70');
    expect(req.request.method).toBe('PATCH');
    expect(req.request.body).toEqual({ name: 'Ana (VIP order)' });
    req.flush(contact);
    await expect(answer).resolves.toEqual(contact);
  });

  it('sends name: null to go back to the WhatsApp profile name', () => {
    api.updateContact(70, { name: null }).subscribe();
    const req = http.expectOne({ method: 'PATCH', url: '/api/contacts/70' });
    expect(req.request.body).toEqual({ name: null });
    req.flush({ ...contact, name: 'Ana' });
  });

  const note: Note = {
    id: 12,
    conversation_id: 7,
    author: { id: 2, name: 'Bob' },
    body: 'Waiting for Maria',
    created_at: '2026-11-24T11:58:00Z',
  };

  it('lists the notes of a conversation with GET /api/conversations/:id/notes', async () => {
    const answer = firstValueFrom(api.listNotes(7));
    const req = http.expectOne({ method: 'GET', url: '/api/conversations/7/notes' });
    req.flush({ notes: [note] });
    await expect(answer).resolves.toEqual([note]);
  });

  it('adds a note with POST /api/conversations/:id/notes {body}', async () => {
    const answer = firstValueFrom(api.addNote(7, 'Waiting for Maria'));
    const req = http.expectOne({ method: 'POST', url: '/api/conversations/7/notes' });
    expect(req.request.body).toEqual({ body: 'Waiting for Maria' });
    req.flush(note, { status: 201, statusText: 'Created' });
    await expect(answer).resolves.toEqual(note);
  });
});
