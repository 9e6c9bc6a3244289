import { ApiProperty } from '@nestjs/swagger';
import type { Contact } from '../contact.entity.js';
import { isoTimestampSql, jsonObjectSql } from '../../database/sql-json.js';

/** SPEC's contact object (docs/inbox-api.md "Contact"). */
export class ContactResponseDto {
  @ApiProperty({ description: 'Contact id (unique across the deployment)', example: 5 })
  id: number;

  @ApiProperty({
    description: "The customer's WhatsApp id (their number, digits only)",
    example: '15551234567',
  })
  wa_id: string;

  @ApiProperty({
    description: 'Name operators know the customer by (defaults to the WhatsApp profile name)',
    example: 'Jane Customer',
    nullable: true,
    type: String,
  })
  name: string | null;

  @ApiProperty({
    description: 'WhatsApp profile name as last sent by Meta',
    example: 'Jane',
    nullable: true,
    type: String,
  })
  profile_name: string | null;

  @ApiProperty({
    description: 'When the contact first wrote',
    example: '2026-01-24T10:30:00.000Z',
    format: 'date-time',
  })
  created_at: string;
}

export function toContactResponse(contact: Contact): ContactResponseDto {
  return {
    id: contact.id,
    wa_id: contact.waId,
    name: contact.name,
    profile_name: contact.profileName,
    created_at: contact.createdAt.toISOString(),
  };
}

/** `toContactResponse` in SQL, for a `contacts` row aliased `ct`. */
export function contactResponseSql(ct: string): string {
  const fields: Record<keyof ContactResponseDto, string> = {
    id: `${ct}.id`,
    wa_id: `${ct}.wa_id`,
    name: `${ct}.name`,
    profile_name: `${ct}.profile_name`,
    created_at: isoTimestampSql(`${ct}.created_at`),
  };
  return jsonObjectSql(fields);
}
