import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository, type SelectQueryBuilder } from 'typeorm';
import { toPage, type Page, type PageQueryDto } from '../common/pagination/page-query.dto.js';
import { hydrateRows } from '../database/hydrate-rows.js';
import { Contact } from './contact.entity.js';
import { Conversation } from './conversation.entity.js';
import {
  toConversationResponse,
  type ConversationResponseDto,
  type ConversationView,
} from './dto/conversation-response.dto.js';
import type { ListContactsQueryDto } from './dto/list-contacts-query.dto.js';
import type { ListConversationsQueryDto } from './dto/list-conversations-query.dto.js';
import type { ListMessagesQueryDto } from './dto/list-messages-query.dto.js';
import { contactSearchCondition, searchPattern, UNICODE_COLLATION_QUERY } from './inbox-search.js';
import { Message } from './message.entity.js';

interface ConversationFacts {
  id: number;
  /** The conversations row as JSON (snake_case columns), when asked for. */
  conversation: Record<string, unknown> | null;
  unread_count: number;
  number_id: number | null;
  phone_number_id: string | null;
  display_phone_number: string | null;
  /** The contacts row as JSON (snake_case columns). */
  contact: Record<string, unknown> | null;
  /** The newest messages row as JSON, without raw_data; null for an empty conversation. */
  last_message: Record<string, unknown> | null;
}

/**
 * Read side of the inbox: the lists and single rows behind /api/messages, /api/contacts
 * and /api/conversations, always scoped to one workspace, newest first, each served by an
 * index (docs/indexes.md). Pages are fetched with one extra row so `next_before_id` is
 * null exactly on the last page.
 */
@Injectable()
export class InboxQueryService {
  private hasUnicodeCollation: Promise<boolean> | undefined;
  private messageViewColumnList: string | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    @InjectRepository(Contact) private readonly contacts: Repository<Contact>,
    @InjectRepository(Conversation) private readonly conversations: Repository<Conversation>,
  ) {}

  listMessages(workspaceId: number, query: ListMessagesQueryDto): Promise<Page<Message>> {
    const ids = this.messages
      .createQueryBuilder('p')
      .where('p.workspaceId = :workspaceId', { workspaceId });
    if (query.contact_id !== undefined) {
      ids.andWhere('p.contactId = :contactId', { contactId: query.contact_id });
    }
    if (query.conversation_id !== undefined) {
      ids.andWhere('p.conversationId = :conversationId', { conversationId: query.conversation_id });
    }
    return this.pageById(ids, this.selectMessages(this.messages.manager, 'r'), query);
  }

  /** A conversation's thread, newest first; 404 when it is not the workspace's. */
  async listConversationMessages(
    workspaceId: number,
    conversationId: number,
    query: PageQueryDto,
  ): Promise<Page<Message>> {
    await this.findConversation(workspaceId, conversationId);
    return this.listMessages(workspaceId, { ...query, conversation_id: conversationId });
  }

  async listContacts(workspaceId: number, query: ListContactsQueryDto): Promise<Page<Contact>> {
    const ids = this.contacts
      .createQueryBuilder('p')
      .where('p.workspaceId = :workspaceId', { workspaceId });
    if (query.q !== undefined) {
      ids.andWhere(contactSearchCondition('p', await this.unicodeCollation()), {
        pattern: searchPattern(query.q),
      });
    }
    return this.pageById(ids, this.contacts.createQueryBuilder('r'), query);
  }

  /**
   * Conversations by latest activity. The cursor is keyset paging on
   * (last_message_at, id): `before_id` names the previous page's last conversation, and an
   * id that is not the workspace's yields an empty page.
   */
  async listConversations(
    workspaceId: number,
    query: ListConversationsQueryDto,
  ): Promise<Page<ConversationView>> {
    const qb = this.conversations
      .createQueryBuilder('c')
      .where('c.workspaceId = :workspaceId', { workspaceId });
    if (query.status === 'open') qb.andWhere('c.isActive = true');
    if (query.status === 'closed') qb.andWhere('c.isActive = false');
    if (query.q !== undefined) {
      qb.innerJoin(Contact, 'ct', 'ct.id = c.contactId').andWhere(
        contactSearchCondition('ct', await this.unicodeCollation()),
        { pattern: searchPattern(query.q) },
      );
    }
    if (query.before_id !== undefined) {
      qb.andWhere(
        `(c.lastMessageAt, c.id) < (SELECT b.last_message_at, b.id FROM conversations b
           WHERE b.id = :beforeId AND b.workspace_id = :workspaceId)`,
        { beforeId: query.before_id },
      );
    }
    qb.select('c.*')
      .orderBy('c.lastMessageAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .offset(query.skip)
      .limit(query.limit + 1);
    // The page's rows and their views in one statement: one round trip, and the rows come
    // back as JSON instead of through the query builder's entity mapping. (Joined back to
    // conversations by id instead, the page made the planner hash the whole table.)
    const [pageSql, params] = qb.getQueryAndParameters();
    const facts = await this.conversationFacts(this.dataSource.manager, true, {
      from: `(${pageSql}) c`,
      orderBy: 'c.last_message_at DESC, c.id DESC',
      params,
    });
    const page = toPage(facts, query.limit);
    return {
      items: page.items.map((fact) => this.factsToView(fact, this.dataSource.manager)),
      nextBeforeId: page.nextBeforeId,
    };
  }

  async getConversation(workspaceId: number, conversationId: number): Promise<ConversationView> {
    const conversation = await this.findConversation(workspaceId, conversationId);
    const [view] = await this.conversationViews([conversation]);
    return view;
  }

  /**
   * The API's conversation object (contact, last message, unread count), read through
   * `manager` — pass a transaction's manager to describe the conversation as that
   * transaction sees it, e.g. for an event payload published in the same transaction.
   */
  async conversationResponse(
    manager: EntityManager,
    workspaceId: number,
    conversationId: number,
  ): Promise<ConversationResponseDto> {
    const conversation = await this.findConversation(workspaceId, conversationId, manager);
    const [view] = await this.conversationViews([conversation], manager);
    return toConversationResponse(view);
  }

  async findConversation(
    workspaceId: number,
    conversationId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Conversation> {
    const conversation = await manager.findOneBy(Conversation, { id: conversationId, workspaceId });
    if (!conversation) throw new NotFoundException('Conversation not found');
    return conversation;
  }

  /**
   * Adds each conversation's contact, newest message, unread count and WhatsApp number in
   * one query (lists and every webhook group call this: round trips are what it costs).
   * The contact and the newest message come back as JSON rows and are hydrated like
   * TypeORM's own; the newest message leaves out raw_data, which the views never show.
   */
  async conversationViews(
    conversations: Conversation[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConversationView[]> {
    const facts = await this.conversationFactsById(
      conversations.map((c) => c.id),
      manager,
      false,
    );
    const byId = new Map(facts.map((f) => [f.id, f]));
    return conversations.map((conversation) =>
      this.toView(conversation, byId.get(conversation.id), manager),
    );
  }

  /**
   * Views of the conversations with these ids, the conversation rows read in the same query
   * (the webhook's transaction describes what it just wrote without another round trip).
   * Ids that match no conversation are left out.
   */
  async conversationViewsById(
    ids: number[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConversationView[]> {
    const facts = await this.conversationFactsById(ids, manager, true);
    return facts.map((fact) => this.factsToView(fact, manager));
  }

  private conversationFactsById(
    ids: number[],
    manager: EntityManager,
    withConversationRow: boolean,
  ): Promise<ConversationFacts[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.conversationFacts(manager, withConversationRow, {
      from: 'conversations c',
      where: 'c.id = ANY($1::int[])',
      orderBy: 'c.id',
      params: [ids],
    });
  }

  /**
   * The facts of the conversations `scope` selects (alias `c`), in its order. The contact is
   * a subquery, not a join: for a page of 100 ids the planner hashed the whole contacts table
   * (a sequential scan growing with the workspace, 5 of a list's 6 ms at 10,000 contacts); as
   * a subquery it is one index lookup per conversation.
   */
  private conversationFacts(
    manager: EntityManager,
    withConversationRow: boolean,
    scope: { from: string; where?: string; orderBy: string; params: unknown[] },
  ): Promise<ConversationFacts[]> {
    return manager.query<ConversationFacts[]>(
      `SELECT c.id, ${withConversationRow ? 'to_json(c)' : 'NULL'} AS conversation,
              (SELECT count(*) FROM messages m
                WHERE m.conversation_id = c.id AND NOT m.is_outbound
                  AND m.id > coalesce(c.last_read_message_id, 0))::int AS unread_count,
              n.id AS number_id, n.phone_number_id, n.display_phone_number,
              (SELECT to_json(ct) FROM contacts ct
                WHERE ct.id = c.contact_id AND ct.workspace_id = c.workspace_id) AS contact,
              (SELECT to_json(last) FROM (
                 SELECT ${this.messageViewColumns(manager)} FROM messages m
                  WHERE m.conversation_id = c.id ORDER BY m.id DESC LIMIT 1) last) AS last_message
         FROM ${scope.from}
         LEFT JOIN whatsapp_numbers n
           ON n.id = c.whatsapp_number_id AND n.workspace_id = c.workspace_id
        ${scope.where ? `WHERE ${scope.where}` : ''}
        ORDER BY ${scope.orderBy}`,
      scope.params,
    );
  }

  /** A view from facts read with the conversation row. */
  private factsToView(fact: ConversationFacts, manager: EntityManager): ConversationView {
    const [conversation] = hydrateRows(manager, Conversation, [
      fact.conversation as Record<string, unknown>,
    ]);
    return this.toView(conversation, fact, manager);
  }

  private toView(
    conversation: Conversation,
    fact: ConversationFacts | undefined,
    manager: EntityManager,
  ): ConversationView {
    // The composite foreign key guarantees the contact; a miss is a bug, not a 404.
    if (!fact?.contact) {
      throw new Error(
        `Contact ${conversation.contactId} of conversation ${conversation.id} is missing`,
      );
    }
    const [contact] = hydrateRows(manager, Contact, [fact.contact]);
    const [lastMessage] = fact.last_message
      ? hydrateRows(manager, Message, [fact.last_message])
      : [null];
    return {
      conversation,
      contact,
      lastMessage,
      unreadCount: fact.unread_count,
      whatsappNumber:
        fact.number_id && fact.phone_number_id !== null
          ? {
              id: fact.number_id,
              phone_number_id: fact.phone_number_id,
              display_phone_number: fact.display_phone_number,
            }
          : null,
    };
  }

  /** `m.<column>` for every messages column the views show (all but raw_data). */
  private messageViewColumns(manager: EntityManager): string {
    this.messageViewColumnList ??= manager.connection
      .getMetadata(Message)
      .columns.filter((c) => c.propertyName !== 'rawData')
      .map((c) => `m.${c.databaseName}`)
      .join(', ');
    return this.messageViewColumnList;
  }

  /** Asked once per instance: the server's collations do not change while it runs. */
  private unicodeCollation(): Promise<boolean> {
    this.hasUnicodeCollation ??= this.dataSource
      .query(UNICODE_COLLATION_QUERY)
      .then((rows: { available: boolean }[]) => rows[0].available)
      .catch((err: unknown) => {
        this.hasUnicodeCollation = undefined;
        throw err;
      });
    return this.hasUnicodeCollation;
  }

  /**
   * Messages without raw_data: Meta's raw JSON can be large and no list shows it. Built
   * from the entity's metadata so columns added later are selected too.
   */
  private selectMessages(manager: EntityManager, alias: string): SelectQueryBuilder<Message> {
    const columns = manager.connection
      .getMetadata(Message)
      .columns.filter((c) => c.propertyName !== 'rawData')
      .map((c) => `${alias}.${c.propertyPath}`);
    return manager.createQueryBuilder(Message, alias).select(columns);
  }

  /**
   * A page of `ids` (alias `p`, filtered by the caller), newest id first, read through
   * `rows` (alias `r`). The page's ids are picked first by a subquery that selects only
   * `id`, so PostgreSQL walks the workspace's (workspace_id, id) index; the rows are then
   * fetched by primary key. Asked for whole rows in one step, the planner may instead walk
   * the primary key backwards and filter by workspace — cheap for the newest workspace, a
   * scan of everyone else's rows for an older one (docs/indexes.md: 0.5 ms against 416 ms).
   */
  private async pageById<T extends { id: number }>(
    ids: SelectQueryBuilder<T>,
    rows: SelectQueryBuilder<T>,
    query: PageQueryDto,
  ): Promise<Page<T>> {
    if (query.before_id !== undefined) {
      ids.andWhere('p.id < :beforeId', { beforeId: query.before_id });
    }
    ids
      .select('p.id')
      .orderBy('p.id', 'DESC')
      .offset(query.skip)
      .limit(query.limit + 1);
    rows
      .where(`r.id = ANY(ARRAY(${ids.getQuery()}))`)
      .setParameters(ids.getParameters())
      .orderBy('r.id', 'DESC');
    return toPage(await rows.getMany(), query.limit);
  }
}
