import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type Repository, type SelectQueryBuilder } from 'typeorm';
import { toPage, type Page, type PageQueryDto } from '../common/pagination/page-query.dto.js';
import { Contact } from './contact.entity.js';
import { Conversation } from './conversation.entity.js';
import {
  conversationResponseSql,
  type ConversationResponseDto,
} from './dto/conversation-response.dto.js';
import type { ListContactsQueryDto } from './dto/list-contacts-query.dto.js';
import type { ListConversationsQueryDto } from './dto/list-conversations-query.dto.js';
import type { ListMessagesQueryDto } from './dto/list-messages-query.dto.js';
import { contactSearchCondition, searchPattern, UNICODE_COLLATION_QUERY } from './inbox-search.js';
import { Message } from './message.entity.js';

// Built once: the SQL depends on nothing but the aliases.
const CONVERSATION_RESPONSE = conversationResponseSql('c');

/** A conversation's response with its id (for paging and lookups), as PostgreSQL built it. */
interface ConversationRow {
  id: number;
  response: ConversationResponseDto;
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
  /** `userId` is the caller, for `assignee=me`. */
  async listConversations(
    workspaceId: number,
    query: ListConversationsQueryDto,
    userId: number,
  ): Promise<Page<ConversationResponseDto>> {
    const qb = this.conversations
      .createQueryBuilder('c')
      .where('c.workspaceId = :workspaceId', { workspaceId });
    if (query.status === 'open') qb.andWhere('c.isActive = true');
    if (query.status === 'closed') qb.andWhere('c.isActive = false');
    if (query.assignee === 'none') qb.andWhere('c.assigneeId IS NULL');
    else if (query.assignee !== undefined) {
      const assigneeId = query.assignee === 'me' ? userId : Number(query.assignee);
      qb.andWhere('c.assigneeId = :assigneeId', { assigneeId });
    }
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
    // The page's rows and their responses in one statement: one round trip. (Joined back to
    // conversations by id instead, the page made the planner hash the whole table.)
    const [pageSql, params] = qb.getQueryAndParameters();
    const rows = await this.conversationRows(this.dataSource.manager, {
      from: `(${pageSql}) c`,
      orderBy: 'c.last_message_at DESC, c.id DESC',
      params,
    });
    const page = toPage(rows, query.limit);
    return { items: page.items.map((row) => row.response), nextBeforeId: page.nextBeforeId };
  }

  /**
   * One conversation as the API shows it (contact, last message, unread count); 404 when it
   * is not the workspace's. Pass a transaction's manager to describe the conversation as that
   * transaction sees it, e.g. for an event payload published in the same transaction.
   */
  async getConversation(
    workspaceId: number,
    conversationId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ConversationResponseDto> {
    const [row] = await this.conversationRows(manager, {
      from: 'conversations c',
      where: 'c.id = $1 AND c.workspace_id = $2',
      orderBy: 'c.id',
      params: [conversationId, workspaceId],
    });
    if (!row) throw new NotFoundException('Conversation not found');
    return row.response;
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

  /** The responses of the conversations `scope` selects (alias `c`), in its order. */
  private conversationRows(
    manager: EntityManager,
    scope: { from: string; where?: string; orderBy: string; params: unknown[] },
  ): Promise<ConversationRow[]> {
    return manager.query<ConversationRow[]>(
      `SELECT c.id, ${CONVERSATION_RESPONSE} AS response
         FROM ${scope.from}
        ${scope.where ? `WHERE ${scope.where}` : ''}
        ORDER BY ${scope.orderBy}`,
      scope.params,
    );
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
