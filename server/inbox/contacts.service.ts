import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventsService } from '../events/events.service.js';
import { contactResponseSql, type ContactResponseDto } from './dto/contact-response.dto.js';

/** Operator actions on a contact. */
@Injectable()
export class ContactsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  /**
   * Sets the name operators know the customer by, or (null) goes back to the WhatsApp
   * profile name. Ingest lets Meta's profile name replace `name` only while the two are
   * equal, so a name set here stays. Every conversation of the contact is announced as
   * `conversation.updated` in the same transaction, so open lists and threads show it.
   */
  async rename(
    workspaceId: number,
    contactId: number,
    name: string | null,
  ): Promise<ContactResponseDto> {
    return this.dataSource.transaction(async (manager) => {
      // An UPDATE answers [rows, count] through TypeORM.
      const [rows] = await manager.query<[{ contact: ContactResponseDto }[], number]>(
        `UPDATE contacts ct SET name = coalesce($3, ct.profile_name), updated_at = now()
          WHERE ct.id = $1 AND ct.workspace_id = $2
          RETURNING ${contactResponseSql('ct')} AS contact`,
        [contactId, workspaceId, name],
      );
      if (rows.length === 0) throw new NotFoundException('Contact not found');
      const conversations = await manager.query<{ id: number }[]>(
        `SELECT id FROM conversations WHERE contact_id = $1 AND workspace_id = $2 ORDER BY id`,
        [contactId, workspaceId],
      );
      await this.events.publishMany(
        manager,
        workspaceId,
        conversations.map((c) => ({
          type: 'conversation.updated',
          data: {},
          conversationId: c.id,
        })),
      );
      return rows[0].contact;
    });
  }
}
