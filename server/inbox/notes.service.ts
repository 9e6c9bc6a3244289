import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventsService } from '../events/events.service.js';
import { noteResponseSql, type NoteResponseDto } from './dto/note.dto.js';

/** How many of a conversation's notes a list answers: the latest ones. */
const MAX_LISTED = 500;

/** Internal notes on conversations: teammates only, never sent to the customer. */
@Injectable()
export class NotesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  /** The latest notes of the conversation, oldest first; 404 when not the workspace's. */
  async list(workspaceId: number, conversationId: number): Promise<NoteResponseDto[]> {
    const rows = await this.dataSource.query<{ note: NoteResponseDto | null }[]>(
      `SELECT latest.note FROM conversations c
         LEFT JOIN LATERAL (
           SELECT n.id, ${noteResponseSql('n')} AS note FROM conversation_notes n
            WHERE n.conversation_id = c.id ORDER BY n.id DESC LIMIT ${MAX_LISTED}
         ) latest ON true
        WHERE c.id = $1 AND c.workspace_id = $2
        ORDER BY latest.id`,
      [conversationId, workspaceId],
    );
    if (rows.length === 0) throw new NotFoundException('Conversation not found');
    return rows.flatMap((r) => (r.note ? [r.note] : []));
  }

  /** Adds a note and publishes `note.created` in the same transaction. */
  async add(
    workspaceId: number,
    conversationId: number,
    authorId: number,
    body: string,
  ): Promise<NoteResponseDto> {
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ note: NoteResponseDto }[]>(
        `WITH inserted AS (
           INSERT INTO conversation_notes (workspace_id, conversation_id, author_id, body)
           SELECT c.workspace_id, c.id, $3, $4 FROM conversations c
            WHERE c.id = $1 AND c.workspace_id = $2
           RETURNING *
         )
         SELECT ${noteResponseSql('n')} AS note FROM inserted n`,
        [conversationId, workspaceId, authorId, body],
      );
      if (!row) throw new NotFoundException('Conversation not found');
      await this.events.publish(manager, workspaceId, 'note.created', { note: row.note });
      return row.note;
    });
  }
}
