import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Subscription, firstValueFrom } from 'rxjs';

import { AuthStore } from '../../core/auth/auth-store';
import { EventsService } from '../../core/events/events-service';
import { LiveEvent } from '../../core/events/live-event.model';
import { ApiError } from '../../core/http/api-error';
import {
  Contact,
  Conversation,
  Message,
  MessagePage,
  MessageStatus,
  Note,
} from '../../core/http/messaging.model';
import { Clock } from '../../core/time/clock';
import { TeamApi } from '../team/team-api';
import { Member } from '../team/team.model';
import { InboxApi } from './inbox-api';
import {
  AssigneeFilter,
  ConversationFilter,
  LoadStatus,
  MessageTemplate,
  NotesState,
  SendMessageBody,
  SendOutcome,
  TemplatesState,
  ThreadMessage,
  ThreadState,
  WindowState,
} from './inbox.model';

export const CONVERSATION_PAGE_SIZE = 50;
/** The API's maximum: fewer round trips when scrolling far back in a long thread. */
export const MESSAGE_PAGE_SIZE = 100;
/** WhatsApp's customer service window: free-form replies only within 24 h of the last inbound message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Incoming messages in an open conversation are marked read after this pause. */
const MARK_READ_DELAY_MS = 1_000;
const MAX_ORPHAN_UPDATES = 200;

/**
 * The inbox: conversation list, the threads opened so far, sending, and live events.
 * One instance for the app, so a thread stays loaded when the operator comes back to it;
 * everything is dropped on sign-out.
 */
@Injectable({ providedIn: 'root' })
export class InboxStore {
  private readonly api = inject(InboxApi);
  private readonly teamApi = inject(TeamApi);
  private readonly auth = inject(AuthStore);
  private readonly clock = inject(Clock);

  private readonly conversationsState = signal<readonly Conversation[]>([]);
  private readonly listStatusState = signal<LoadStatus>('idle');
  private readonly listErrorState = signal<string | null>(null);
  private readonly listCursor = signal<number | null>(null);
  private readonly loadingMoreState = signal(false);
  private readonly filterState = signal<ConversationFilter>('open');
  private readonly assigneeFilterState = signal<AssigneeFilter>('all');
  private readonly queryState = signal('');
  private readonly selectedIdState = signal<number | null>(null);
  /** The selected conversation when the current list does not hold it (filtered out). */
  private readonly selectedDetail = signal<Conversation | null>(null);
  private readonly threadsState = signal<ReadonlyMap<number, ThreadState>>(new Map());
  private readonly templatesState = signal<TemplatesState>({ status: 'idle' });
  private readonly membersState = signal<readonly Member[]>([]);
  private readonly membersLoadedState = signal(false);
  /** Internal notes per conversation, for those whose notes were asked for. */
  private readonly notesState = signal<ReadonlyMap<number, NotesState>>(new Map());

  readonly conversations = this.conversationsState.asReadonly();
  readonly listStatus = this.listStatusState.asReadonly();
  readonly listError = this.listErrorState.asReadonly();
  readonly hasMoreConversations = computed(() => this.listCursor() !== null);
  readonly loadingMoreConversations = this.loadingMoreState.asReadonly();
  readonly filter = this.filterState.asReadonly();
  readonly assigneeFilter = this.assigneeFilterState.asReadonly();
  readonly query = this.queryState.asReadonly();
  readonly selectedId = this.selectedIdState.asReadonly();
  readonly templates = this.templatesState.asReadonly();
  /** The workspace's members, who conversations can be assigned to. */
  readonly members = this.membersState.asReadonly();
  /**
   * Whether `members` holds the server's answer: only then does a sender missing from it
   * mean someone who left the team rather than a list still on its way.
   */
  readonly membersLoaded = this.membersLoadedState.asReadonly();
  /** Members' names by user id, to say which teammate sent a reply. */
  private readonly memberNames = computed(
    () => new Map(this.membersState().map((member) => [member.user_id, member.name])),
  );

  readonly selectedConversation = computed<Conversation | null>(() => {
    const id = this.selectedIdState();
    if (id === null) {
      return null;
    }
    const detail = this.selectedDetail();
    return (
      this.conversationsState().find((c) => c.id === id) ?? (detail?.id === id ? detail : null)
    );
  });

  readonly selectedThread = computed<ThreadState | null>(() => {
    const id = this.selectedIdState();
    return id === null ? null : (this.threadsState().get(id) ?? null);
  });

  /**
   * Whether the list tells numbers apart: only when the conversations loaded are on more
   * than one WhatsApp number (agents cannot list the workspace's numbers themselves).
   */
  readonly showNumbers = computed(() => {
    const ids = new Set<number>();
    for (const c of this.conversationsState()) {
      if (c.whatsapp_number) {
        ids.add(c.whatsapp_number.id);
      }
    }
    return ids.size > 1;
  });

  /** Whether the selected conversation accepts a free-form message right now. */
  readonly selectedWindow = computed<WindowState>(() =>
    windowStateOf(this.selectedThread(), this.clock.now()),
  );

  private listRequest: Subscription | null = null;
  private membersRequest: Subscription | null = null;
  private readonly notesRequests = new Map<number, Subscription>();
  private localCounter = 0;
  /** Status updates that arrived before the send request answered with the message id. */
  private readonly orphanUpdates = new Map<number, Message>();
  private readonly readTimers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Unsent composer text per conversation; plain state, nothing renders from it. */
  private readonly drafts = new Map<number, string>();

  constructor() {
    inject(EventsService)
      .events$.pipe(takeUntilDestroyed())
      .subscribe((event) => this.apply(event));
    effect(() => {
      if (this.auth.status() === 'signed-out') {
        untracked(() => this.reset());
      }
    });
    inject(DestroyRef).onDestroy(() => this.reset());
  }

  // ── Conversation list ──────────────────────────────────────────────────────────────

  loadConversations(): void {
    this.listRequest?.unsubscribe();
    this.listStatusState.set('loading');
    this.listErrorState.set(null);
    const query = this.queryState().trim();
    this.listRequest = this.api
      .listConversations({
        status: this.filterState(),
        q: query || undefined,
        assignee: this.assigneeFilterState(),
        limit: CONVERSATION_PAGE_SIZE,
      })
      .subscribe({
        next: (page) => {
          this.conversationsState.set(
            sortConversations(page.conversations.map((c) => this.withLocalRead(c))),
          );
          this.listCursor.set(page.next_before_id ?? null);
          this.listStatusState.set('ready');
        },
        error: (error: unknown) => {
          this.listErrorState.set(ApiError.from(error).message);
          this.listStatusState.set('error');
        },
      });
  }

  loadMoreConversations(): void {
    const cursor = this.listCursor();
    if (cursor === null || this.loadingMoreState() || this.listStatusState() !== 'ready') {
      return;
    }
    this.loadingMoreState.set(true);
    this.listErrorState.set(null);
    const query = this.queryState().trim();
    this.api
      .listConversations({
        status: this.filterState(),
        q: query || undefined,
        assignee: this.assigneeFilterState(),
        limit: CONVERSATION_PAGE_SIZE,
        before_id: cursor,
      })
      .subscribe({
        next: (page) => {
          this.conversationsState.update((list) => {
            const known = new Set(list.map((c) => c.id));
            const fresh = page.conversations.filter((c) => !known.has(c.id));
            return [...list, ...fresh.map((c) => this.withLocalRead(c))];
          });
          this.listCursor.set(page.next_before_id ?? null);
          this.loadingMoreState.set(false);
        },
        error: (error: unknown) => {
          this.listErrorState.set(ApiError.from(error).message);
          this.loadingMoreState.set(false);
        },
      });
  }

  setFilter(filter: ConversationFilter): void {
    if (filter !== this.filterState()) {
      this.filterState.set(filter);
      this.loadConversations();
    }
  }

  setAssigneeFilter(filter: AssigneeFilter): void {
    if (filter !== this.assigneeFilterState()) {
      this.assigneeFilterState.set(filter);
      this.loadConversations();
    }
  }

  setQuery(query: string): void {
    if (query !== this.queryState()) {
      this.queryState.set(query);
      this.loadConversations();
    }
  }

  // ── Selection and threads ──────────────────────────────────────────────────────────

  /** Opens a conversation: loads its thread and marks it read (PATCH `{read: true}`). */
  select(id: number | null): void {
    if (id === this.selectedIdState()) {
      return;
    }
    this.selectedIdState.set(id);
    if (id === null) {
      return;
    }
    const thread = this.threadsState().get(id);
    if (!thread || thread.status === 'error') {
      this.loadThread(id);
    }
    if (!this.conversationsState().some((c) => c.id === id)) {
      this.api.getConversation(id).subscribe({
        next: (conversation) => this.upsertConversation(conversation),
        // The thread request reports a missing conversation; nothing to add here.
        error: () => undefined,
      });
    }
    this.markRead(id);
  }

  loadThread(id: number): void {
    this.setThread(id, { ...emptyThread(id), status: 'loading' });
    this.api.listMessages(id, { limit: MESSAGE_PAGE_SIZE }).subscribe({
      next: (page) =>
        this.updateThread(id, (thread) => ({
          ...thread,
          status: 'ready',
          error: null,
          messages: mergeMessages(thread.messages, page.messages.map(toThreadMessage)),
          nextBeforeId: nextCursor(page),
        })),
      error: (error: unknown) =>
        this.updateThread(id, (thread) => ({
          ...thread,
          status: 'error',
          error: ApiError.from(error).message,
        })),
    });
  }

  /** Loads the page before the oldest loaded message (`before_id` cursor). */
  loadOlder(id: number): void {
    const thread = this.threadsState().get(id);
    if (
      !thread ||
      thread.status !== 'ready' ||
      thread.loadingOlder ||
      thread.nextBeforeId === null
    ) {
      return;
    }
    const before = thread.nextBeforeId;
    this.updateThread(id, (t) => ({ ...t, loadingOlder: true, olderError: null }));
    this.api.listMessages(id, { limit: MESSAGE_PAGE_SIZE, before_id: before }).subscribe({
      next: (page) =>
        this.updateThread(id, (t) => ({
          ...t,
          loadingOlder: false,
          messages: mergeMessages(t.messages, page.messages.map(toThreadMessage)),
          nextBeforeId: nextCursor(page),
        })),
      error: (error: unknown) =>
        this.updateThread(id, (t) => ({
          ...t,
          loadingOlder: false,
          olderError: ApiError.from(error).message,
        })),
    });
  }

  // ── Sending ────────────────────────────────────────────────────────────────────────

  /** Sends a text; a "pending" bubble shows at once and is replaced by the server's message. */
  sendText(conversationId: number, text: string): Promise<SendOutcome> {
    return this.send(conversationId, { text });
  }

  sendTemplate(conversationId: number, template: MessageTemplate): Promise<SendOutcome> {
    return this.send(conversationId, {
      template: { name: template.name, language: template.language },
    });
  }

  /** Sends a failed optimistic message again. */
  retry(conversationId: number, clientKey: string): Promise<SendOutcome> {
    const message = this.threadsState()
      .get(conversationId)
      ?.messages.find((m) => m.client_key === clientKey);
    if (!message?.local_body) {
      return Promise.resolve({ kind: 'failed', message: 'Nothing to resend.' });
    }
    const body = message.local_body;
    this.updateThread(conversationId, (t) => ({
      ...t,
      messages: t.messages.map((m) =>
        m.client_key === clientKey ? { ...m, local_error: null, status: 'pending' as const } : m,
      ),
    }));
    return this.deliver(conversationId, clientKey, body);
  }

  /** Close (`false`) or reopen (`true`) a conversation. Rejects with an ApiError. */
  async setActive(conversationId: number, isActive: boolean): Promise<void> {
    try {
      const conversation = await firstValueFrom(
        this.api.updateConversation(conversationId, { is_active: isActive }),
      );
      this.upsertConversation(conversation);
    } catch (error: unknown) {
      throw ApiError.from(error);
    }
  }

  /**
   * Assigns a conversation to a workspace member (their user id), or unassigns it (`null`).
   * The list follows the answer at once, as it does the `conversation.updated` event.
   * Rejects with an ApiError (422 when the user is not a member of the workspace).
   */
  async assign(conversationId: number, assigneeId: number | null): Promise<void> {
    try {
      const conversation = await firstValueFrom(
        this.api.updateConversation(conversationId, { assignee_id: assigneeId }),
      );
      this.upsertConversation(conversation);
    } catch (error: unknown) {
      throw ApiError.from(error);
    }
  }

  /**
   * Refreshes the members the assignee picker offers (`GET /api/workspace/members`); the
   * list loaded before stays meanwhile. Best effort: without it the picker still offers
   * "Unassigned", the signed-in user and the current assignee, and the server refuses
   * anyone who is no longer a member (422).
   */
  loadMembers(): void {
    if (this.membersRequest && !this.membersRequest.closed) {
      return;
    }
    this.membersRequest = this.teamApi.members().subscribe({
      next: (members) => {
        this.membersState.set(members);
        this.membersLoadedState.set(true);
      },
      error: () => undefined,
    });
  }

  /**
   * The teammate who sent an outbound message ("Former teammate" for someone no longer a
   * member); null for the signed-in operator's own replies, inbound messages, replies from
   * before the server recorded the sender, and while the members are not loaded (everyone
   * would look like a former teammate).
   */
  senderName(message: Message): string | null {
    const senderId = message.sent_by_user_id;
    if (
      !message.is_outbound ||
      senderId === undefined ||
      senderId === null ||
      senderId === this.auth.user()?.id ||
      !this.membersLoadedState()
    ) {
      return null;
    }
    return this.memberNames().get(senderId) ?? 'Former teammate';
  }

  /**
   * Renames a contact (PATCH `/api/contacts/:id`); `null` shows the WhatsApp profile name
   * again. Every conversation of the contact shows the answer at once, without waiting for
   * the `conversation.updated` events. Resolves with the contact, rejects with an ApiError.
   */
  async renameContact(contactId: number, name: string | null): Promise<Contact> {
    try {
      const contact = await firstValueFrom(this.api.updateContact(contactId, { name }));
      this.applyContact(contact);
      return contact;
    } catch (error: unknown) {
      throw ApiError.from(error);
    }
  }

  // ── Internal notes ─────────────────────────────────────────────────────────────────

  /** A conversation's notes; `idle` until `loadNotes` asks for them. */
  notesFor(conversationId: number): NotesState {
    return this.notesState().get(conversationId) ?? IDLE_NOTES;
  }

  /**
   * Loads a conversation's notes (`GET /api/conversations/:id/notes`). Notes already shown
   * stay meanwhile, and notes created while the request runs are kept: the answer is
   * merged with them by id.
   */
  loadNotes(conversationId: number): void {
    if (this.notesFor(conversationId).status === 'loading') {
      return;
    }
    this.updateNotes(conversationId, (state) => ({ ...state, status: 'loading', error: null }));
    this.notesRequests.get(conversationId)?.unsubscribe();
    const request = this.api.listNotes(conversationId).subscribe({
      next: (notes) =>
        this.updateNotes(conversationId, (state) => ({
          status: 'loaded',
          error: null,
          notes: mergeNotes(state.notes, notes),
        })),
      error: (error: unknown) =>
        this.updateNotes(conversationId, (state) => ({
          ...state,
          status: 'error',
          error: ApiError.from(error).message,
        })),
    });
    if (!request.closed) {
      this.notesRequests.set(conversationId, request);
      request.add(() => this.notesRequests.delete(conversationId));
    }
  }

  /**
   * Adds an internal note (`POST /api/conversations/:id/notes`) and shows it at once. The
   * `note.created` event for it may come before or after the answer; both carry the same
   * id, so the note shows once. Resolves with the note, rejects with an ApiError (422 with
   * a `body` message when it is empty or too long).
   */
  async addNote(conversationId: number, body: string): Promise<Note> {
    try {
      const note = await firstValueFrom(this.api.addNote(conversationId, body));
      this.receiveNote(note);
      return note;
    } catch (error: unknown) {
      throw ApiError.from(error);
    }
  }

  loadTemplates(force = false): void {
    const status = this.templatesState().status;
    if (!force && (status === 'loading' || status === 'ready')) {
      return;
    }
    this.templatesState.set({ status: 'loading' });
    this.api.templates().subscribe({
      next: (templates) =>
        this.templatesState.set({
          status: 'ready',
          data: templates.filter((t) => !t.status || t.status.toUpperCase() === 'APPROVED'),
        }),
      error: (error: unknown) =>
        this.templatesState.set({ status: 'error', message: ApiError.from(error).message }),
    });
  }

  /** Returns and forgets the unsent text of a conversation. */
  takeDraft(conversationId: number): string {
    const draft = this.drafts.get(conversationId) ?? '';
    this.drafts.delete(conversationId);
    return draft;
  }

  saveDraft(conversationId: number, text: string): void {
    if (text.trim()) {
      this.drafts.set(conversationId, text);
    } else {
      this.drafts.delete(conversationId);
    }
  }

  // ── Live events ────────────────────────────────────────────────────────────────────

  apply(event: LiveEvent): void {
    switch (event.type) {
      case 'message.created': {
        const { message, conversation } = event.data;
        this.upsertConversation(conversation);
        const conversationId = message.conversation_id ?? conversation.id;
        this.addMessage(conversationId, message);
        this.refreshMembersFor(message);
        if (!message.is_outbound) {
          // A customer message reopens the 24-hour window.
          this.updateThread(conversationId, (t) => ({
            ...t,
            windowClosed: false,
            windowMessage: null,
          }));
          if (this.selectedIdState() === conversationId) {
            this.scheduleMarkRead(conversationId);
          }
        }
        break;
      }
      case 'message.updated':
        this.updateMessage(event.data.message);
        break;
      case 'conversation.updated':
        this.upsertConversation(event.data.conversation);
        break;
      case 'note.created':
        this.receiveNote(event.data.note);
        break;
    }
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────

  private async send(conversationId: number, body: SendMessageBody): Promise<SendOutcome> {
    const clientKey = `local-${++this.localCounter}`;
    const conversation = this.selectedConversation();
    const optimistic: ThreadMessage = {
      id: -this.localCounter,
      wa_message_id: null,
      contact_id: conversation?.id === conversationId ? conversation.contact_id : 0,
      type: 'text' in body ? 'text' : 'template',
      content: 'text' in body ? body.text : body.template.name,
      is_outbound: true,
      status: 'pending',
      timestamp: new Date(Date.now()).toISOString(),
      conversation_id: conversationId,
      client_key: clientKey,
      local_error: null,
      local_body: body,
    };
    if (!this.threadsState().has(conversationId)) {
      this.setThread(conversationId, { ...emptyThread(conversationId), status: 'ready' });
    }
    this.updateThread(conversationId, (t) => ({ ...t, messages: [...t.messages, optimistic] }));
    return this.deliver(conversationId, clientKey, body);
  }

  private async deliver(
    conversationId: number,
    clientKey: string,
    body: SendMessageBody,
  ): Promise<SendOutcome> {
    try {
      const message = await firstValueFrom(this.api.sendMessage(conversationId, body));
      this.replaceLocal(conversationId, clientKey, message);
      this.touchConversation(conversationId, message);
      return { kind: 'sent' };
    } catch (error: unknown) {
      const apiError = ApiError.from(error);
      if (isWindowClosed(apiError)) {
        this.updateThread(conversationId, (t) => ({
          ...t,
          messages: t.messages.filter((m) => m.client_key !== clientKey),
          windowClosed: true,
          windowMessage: apiError.message,
        }));
        return { kind: 'window-closed', message: apiError.message };
      }
      this.updateThread(conversationId, (t) => ({
        ...t,
        messages: t.messages.map((m) =>
          m.client_key === clientKey ? { ...m, local_error: apiError.message } : m,
        ),
      }));
      return { kind: 'failed', message: apiError.message };
    }
  }

  /** Swaps the optimistic bubble for the server's message, unless an event brought it first. */
  private replaceLocal(conversationId: number, clientKey: string, message: Message): void {
    const orphan = this.orphanUpdates.get(message.id);
    this.orphanUpdates.delete(message.id);
    const server = orphan
      ? { ...message, ...orphan, status: laterStatus(message.status, orphan.status) }
      : message;
    this.updateThread(conversationId, (t) => {
      const already = t.messages.some((m) => m.id === server.id);
      const messages = already
        ? t.messages.filter((m) => m.client_key !== clientKey)
        : t.messages.map((m) => (m.client_key === clientKey ? mergeMessage(m, server) : m));
      return { ...t, messages };
    });
  }

  private addMessage(conversationId: number, message: Message): void {
    this.updateThread(conversationId, (t) => ({
      ...t,
      messages: mergeMessages(t.messages, [toThreadMessage(message)]),
    }));
  }

  private updateMessage(message: Message): void {
    let found = false;
    const threads = new Map(this.threadsState());
    const candidates =
      message.conversation_id !== undefined && message.conversation_id !== null
        ? [threads.get(message.conversation_id)].filter((t): t is ThreadState => t !== undefined)
        : [...threads.values()];
    for (const thread of candidates) {
      const index = thread.messages.findIndex((m) => m.id === message.id);
      if (index >= 0) {
        const messages = [...thread.messages];
        messages[index] = mergeMessage(messages[index], message);
        threads.set(thread.conversationId, { ...thread, messages });
        found = true;
      }
    }
    if (found) {
      this.threadsState.set(threads);
    } else {
      this.rememberOrphan(message);
    }
    this.conversationsState.update((list) =>
      list.map((c) =>
        c.last_message?.id === message.id
          ? { ...c, last_message: { ...c.last_message, ...message } }
          : c,
      ),
    );
  }

  /**
   * A reply just sent by someone missing from the members loaded is most likely from a
   * teammate who joined since: ask again, so the thread shows their name rather than
   * "Former teammate". Only new messages do this; history may hold people who left.
   */
  private refreshMembersFor(message: Message): void {
    const senderId = message.sent_by_user_id;
    if (
      senderId !== undefined &&
      senderId !== null &&
      this.membersLoadedState() &&
      !this.membersState().some((m) => m.user_id === senderId)
    ) {
      this.loadMembers();
    }
  }

  private rememberOrphan(message: Message): void {
    if (this.orphanUpdates.size >= MAX_ORPHAN_UPDATES) {
      const oldest = this.orphanUpdates.keys().next().value;
      if (oldest !== undefined) {
        this.orphanUpdates.delete(oldest);
      }
    }
    this.orphanUpdates.set(message.id, message);
  }

  /** Adds, moves or removes a conversation so the list keeps its filters, search and order. */
  private upsertConversation(incoming: Conversation): void {
    const conversation = this.withLocalRead(incoming);
    if (conversation.id === this.selectedIdState()) {
      this.selectedDetail.set(conversation);
    }
    this.conversationsState.update((list) => {
      const others = list.filter((c) => c.id !== conversation.id);
      const belongs =
        matchesFilter(conversation, this.filterState()) &&
        matchesAssignee(conversation, this.assigneeFilterState(), this.auth.user()?.id ?? null) &&
        matchesQuery(conversation, this.queryState());
      return belongs ? sortConversations([...others, conversation]) : others;
    });
  }

  /** A contact changed: each of its conversations (listed or open) shows it. */
  private applyContact(contact: Contact): void {
    const affected = new Map<number, Conversation>();
    const detail = this.selectedDetail();
    if (detail?.contact_id === contact.id) {
      affected.set(detail.id, detail);
    }
    for (const conversation of this.conversationsState()) {
      if (conversation.contact_id === contact.id) {
        affected.set(conversation.id, conversation);
      }
    }
    for (const conversation of affected.values()) {
      this.upsertConversation({
        ...conversation,
        contact: { ...conversation.contact, ...contact },
      });
    }
  }

  /** After our own send: the list shows the reply as the latest message. */
  private touchConversation(conversationId: number, message: Message): void {
    const current =
      this.conversationsState().find((c) => c.id === conversationId) ??
      (this.selectedDetail()?.id === conversationId ? this.selectedDetail() : null);
    if (current) {
      this.upsertConversation({
        ...current,
        last_message: message,
        last_message_at: message.timestamp,
      });
    }
  }

  private markRead(id: number): void {
    this.conversationsState.update((list) =>
      list.map((c) => (c.id === id && c.unread_count ? { ...c, unread_count: 0 } : c)),
    );
    this.api.updateConversation(id, { read: true }).subscribe({
      next: (conversation) => this.upsertConversation(conversation),
      // Best effort: an older server without the route must not disturb the thread.
      error: () => undefined,
    });
  }

  private scheduleMarkRead(id: number): void {
    clearTimeout(this.readTimers.get(id));
    this.readTimers.set(
      id,
      setTimeout(() => {
        this.readTimers.delete(id);
        if (this.selectedIdState() === id) {
          this.markRead(id);
        }
      }, MARK_READ_DELAY_MS),
    );
  }

  /** The open conversation shows no unread badge, whatever the server counted. */
  private withLocalRead(conversation: Conversation): Conversation {
    return conversation.id === this.selectedIdState() && conversation.unread_count
      ? { ...conversation, unread_count: 0 }
      : conversation;
  }

  /**
   * Files a note under its conversation when that conversation's notes are shown or on
   * their way; otherwise the next load brings it.
   */
  private receiveNote(note: Note): void {
    const status = this.notesFor(note.conversation_id).status;
    if (status === 'loading' || status === 'loaded') {
      this.updateNotes(note.conversation_id, (state) => ({
        ...state,
        notes: mergeNotes(state.notes, [note]),
      }));
    }
  }

  private updateNotes(conversationId: number, change: (state: NotesState) => NotesState): void {
    this.notesState.update((all) =>
      new Map(all).set(conversationId, change(all.get(conversationId) ?? IDLE_NOTES)),
    );
  }

  private setThread(id: number, thread: ThreadState): void {
    this.threadsState.update((threads) => new Map(threads).set(id, thread));
  }

  private updateThread(id: number, change: (thread: ThreadState) => ThreadState): void {
    const thread = this.threadsState().get(id);
    if (thread) {
      this.setThread(id, change(thread));
    }
  }

  private reset(): void {
    this.listRequest?.unsubscribe();
    this.listRequest = null;
    this.membersRequest?.unsubscribe();
    this.membersRequest = null;
    this.notesRequests.forEach((request) => request.unsubscribe());
    this.notesRequests.clear();
    this.readTimers.forEach((timer) => clearTimeout(timer));
    this.readTimers.clear();
    this.orphanUpdates.clear();
    this.drafts.clear();
    this.conversationsState.set([]);
    this.listStatusState.set('idle');
    this.listErrorState.set(null);
    this.listCursor.set(null);
    this.loadingMoreState.set(false);
    this.filterState.set('open');
    this.assigneeFilterState.set('all');
    this.queryState.set('');
    this.selectedIdState.set(null);
    this.selectedDetail.set(null);
    this.threadsState.set(new Map());
    this.templatesState.set({ status: 'idle' });
    this.membersState.set([]);
    this.membersLoadedState.set(false);
    this.notesState.set(new Map());
  }
}

const IDLE_NOTES: NotesState = { status: 'idle', notes: [], error: null };

/** Notes deduplicated by id (the latest copy wins), oldest first: ids grow with time. */
export function mergeNotes(existing: readonly Note[], incoming: readonly Note[]): Note[] {
  const byId = new Map(existing.map((note) => [note.id, note]));
  for (const note of incoming) {
    byId.set(note.id, note);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function emptyThread(conversationId: number): ThreadState {
  return {
    conversationId,
    messages: [],
    status: 'idle',
    error: null,
    nextBeforeId: null,
    loadingOlder: false,
    olderError: null,
    windowClosed: false,
    windowMessage: null,
  };
}

export function toThreadMessage(message: Message): ThreadMessage {
  return { ...message, client_key: `m${message.id}`, local_error: null };
}

/**
 * The cursor for the next older page. Servers that predate `next_before_id` get the
 * smallest id of a full page, which is what `before_id` means.
 */
export function nextCursor(page: MessagePage): number | null {
  if (page.next_before_id !== undefined) {
    return page.next_before_id;
  }
  if (page.messages.length < MESSAGE_PAGE_SIZE) {
    return null;
  }
  return page.messages.reduce((min, m) => Math.min(min, m.id), Number.POSITIVE_INFINITY);
}

/**
 * Merges server messages into a thread: deduplicated by id, ordered by id (the API's
 * cursor order), messages still being sent kept last.
 */
export function mergeMessages(
  existing: readonly ThreadMessage[],
  incoming: readonly ThreadMessage[],
): ThreadMessage[] {
  const incomingById = new Map(incoming.map((m) => [m.id, m]));
  const updated = existing.map((m) => {
    const newer = incomingById.get(m.id);
    if (newer) {
      incomingById.delete(m.id);
      return mergeMessage(m, newer);
    }
    return m;
  });
  const sent = updated.filter((m) => m.id > 0);
  const unsent = updated.filter((m) => m.id <= 0);
  const merged = [...sent, ...incomingById.values()];
  merged.sort((a, b) => a.id - b.id);
  return [...merged, ...unsent];
}

const STATUS_ORDER: Readonly<Record<MessageStatus, number>> = {
  received: 0,
  pending: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
};

/** Status events can arrive out of order; a message never goes back (read → delivered). */
export function laterStatus(current: MessageStatus, incoming: MessageStatus): MessageStatus {
  return (STATUS_ORDER[incoming] ?? 0) >= (STATUS_ORDER[current] ?? 0) ? incoming : current;
}

/** Server data wins, except the client key (keeps the bubble) and a newer status. */
export function mergeMessage(current: ThreadMessage, incoming: Message): ThreadMessage {
  return {
    ...current,
    ...incoming,
    status: current.id > 0 ? laterStatus(current.status, incoming.status) : incoming.status,
    client_key: current.client_key,
    local_error: null,
    local_body: undefined,
  };
}

export function sortConversations(list: readonly Conversation[]): Conversation[] {
  return [...list].sort((a, b) => {
    const at = a.last_message_at ? Date.parse(a.last_message_at) : 0;
    const bt = b.last_message_at ? Date.parse(b.last_message_at) : 0;
    return bt - at || b.id - a.id;
  });
}

export function matchesFilter(conversation: Conversation, filter: ConversationFilter): boolean {
  switch (filter) {
    case 'open':
      return conversation.is_active;
    case 'closed':
      return !conversation.is_active;
    case 'all':
      return true;
  }
}

/** The client-side twin of the server's `assignee`: `me` is the signed-in user's id. */
export function matchesAssignee(
  conversation: Conversation,
  filter: AssigneeFilter,
  meId: number | null,
): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'me':
      return meId !== null && conversation.assignee?.id === meId;
    case 'none':
      return !conversation.assignee;
  }
}

/** The client-side twin of the server's `q`: name, profile name or number. */
export function matchesQuery(conversation: Conversation, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) {
    return true;
  }
  const contact = conversation.contact;
  if (!contact) {
    return false;
  }
  const digits = q.replace(/[^\d]/g, '');
  return (
    (contact.name ?? '').toLowerCase().includes(q) ||
    (contact.profile_name ?? '').toLowerCase().includes(q) ||
    (digits !== '' && contact.wa_id.includes(digits))
  );
}

/** True for the server's refusal of a free-form message outside the 24-hour window. */
export function isWindowClosed(error: ApiError): boolean {
  return (
    error.status === 422 &&
    (error.code === 'window_closed' || /24[- ]?hour|window/i.test(error.message))
  );
}

/**
 * Open when the customer wrote within 24 h, closed when that was longer ago (or the
 * server said so, or the customer never wrote), unknown while older messages may hold the
 * answer: then the server decides (422 `window_closed`).
 */
export function windowStateOf(thread: ThreadState | null, now: number): WindowState {
  if (!thread || thread.status !== 'ready') {
    return 'unknown';
  }
  if (thread.windowClosed) {
    return 'closed';
  }
  for (let i = thread.messages.length - 1; i >= 0; i--) {
    const message = thread.messages[i];
    if (!message.is_outbound) {
      return now - Date.parse(message.timestamp) > SERVICE_WINDOW_MS ? 'closed' : 'open';
    }
  }
  return thread.nextBeforeId === null ? 'closed' : 'unknown';
}
