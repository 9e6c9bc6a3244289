import { HttpClient, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';

import {
  Contact,
  Conversation,
  ConversationPage,
  Message,
  MessagePage,
  Note,
  NoteList,
} from '../../core/http/messaging.model';
import {
  AssigneeFilter,
  ContactPatch,
  ConversationFilter,
  ConversationPatch,
  MessageTemplate,
  SendMessageBody,
} from './inbox.model';

export interface ConversationQuery {
  readonly status: ConversationFilter;
  readonly q?: string;
  /** Omitted or `all`: everyone's conversations. */
  readonly assignee?: AssigneeFilter;
  readonly limit: number;
  readonly before_id?: number | null;
}

export interface PageQuery {
  readonly limit: number;
  readonly before_id?: number | null;
}

/** Typed calls of the inbox routes (docs/inbox-api.md). */
@Injectable({ providedIn: 'root' })
export class InboxApi {
  private readonly http = inject(HttpClient);

  listConversations(query: ConversationQuery): Observable<ConversationPage> {
    let params = new HttpParams().set('status', query.status).set('limit', query.limit);
    if (query.q) {
      params = params.set('q', query.q);
    }
    if (query.assignee && query.assignee !== 'all') {
      params = params.set('assignee', query.assignee);
    }
    if (query.before_id !== undefined && query.before_id !== null) {
      params = params.set('before_id', query.before_id);
    }
    return this.http.get<ConversationPage>('/api/conversations', { params });
  }

  getConversation(id: number): Observable<Conversation> {
    return this.http.get<Conversation>(`/api/conversations/${id}`);
  }

  /** Newest first, like every list. */
  listMessages(conversationId: number, query: PageQuery): Observable<MessagePage> {
    let params = new HttpParams().set('limit', query.limit);
    if (query.before_id !== undefined && query.before_id !== null) {
      params = params.set('before_id', query.before_id);
    }
    return this.http.get<MessagePage>(`/api/conversations/${conversationId}/messages`, { params });
  }

  /** 202 with the stored message in status `pending`. */
  sendMessage(conversationId: number, body: SendMessageBody): Observable<Message> {
    return this.http.post<Message>(`/api/conversations/${conversationId}/messages`, body);
  }

  /** Closes, reopens, marks read or (un)assigns; answers the updated conversation. */
  updateConversation(id: number, patch: ConversationPatch): Observable<Conversation> {
    return this.http.patch<Conversation>(`/api/conversations/${id}`, patch);
  }

  /** Renames a contact (`{name: null}`: back to the WhatsApp profile name). */
  updateContact(id: number, patch: ContactPatch): Observable<Contact> {
    return this.http.patch<Contact>(`/api/contacts/${id}`, patch);
  }

  /** The conversation's internal notes, oldest first (the latest 500 at most). */
  listNotes(conversationId: number): Observable<Note[]> {
    return this.http
      .get<NoteList>(`/api/conversations/${conversationId}/notes`)
      .pipe(map((body) => body.notes));
  }

  /** 201 with the stored note; 422 with a `body` field error when empty or too long. */
  addNote(conversationId: number, body: string): Observable<Note> {
    return this.http.post<Note>(`/api/conversations/${conversationId}/notes`, { body });
  }

  templates(): Observable<MessageTemplate[]> {
    return this.http
      .get<{ data?: MessageTemplate[] }>('/api/whatsapp/templates')
      .pipe(map((body) => body.data ?? []));
  }

  /** The media bytes; needs the token, so it cannot be a plain `<img src>`. */
  media(messageId: number): Observable<Blob> {
    return this.http.get(`/api/messages/${messageId}/media`, { responseType: 'blob' });
  }
}
