import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { isoTimestampSql, jsonObjectSql } from '../../database/sql-json.js';

export const MAX_NOTE_LENGTH = 4096;

/** POST /api/conversations/:id/notes. */
export class CreateNoteDto {
  @ApiProperty({
    description: `What the team should know (trimmed, 1–${MAX_NOTE_LENGTH} characters); the customer never sees it`,
    example: 'Wants a refund for order 10042; waiting for Maria to approve.',
    maxLength: MAX_NOTE_LENGTH,
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MaxLength(MAX_NOTE_LENGTH)
  @IsNotEmpty({ message: 'body must not be empty' })
  @IsString()
  body: string;
}

export class NoteAuthorDto {
  @ApiProperty({ description: 'User id', example: 7 })
  id: number;

  @ApiProperty({ example: 'Maria Costa' })
  name: string;
}

/** An internal note: teammates only, never sent to the customer. */
export class NoteResponseDto {
  @ApiProperty({ example: 12 })
  id: number;

  @ApiProperty({ example: 7 })
  conversation_id: number;

  @ApiProperty({
    description: 'Who wrote it; null if that user no longer exists',
    type: NoteAuthorDto,
    nullable: true,
  })
  author: NoteAuthorDto | null;

  @ApiProperty({ example: 'Wants a refund for order 10042; waiting for Maria to approve.' })
  body: string;

  @ApiProperty({ example: '2026-11-25T10:30:00.000Z', format: 'date-time' })
  created_at: string;
}

export class NoteListResponseDto {
  @ApiProperty({ type: NoteResponseDto, isArray: true, description: 'Oldest first' })
  notes: NoteResponseDto[];
}

/** A note's response built in PostgreSQL, for a `conversation_notes` row aliased `n`. */
export function noteResponseSql(n: string): string {
  const author: Record<keyof NoteAuthorDto, string> = { id: 'u.id', name: 'u.name' };
  const fields: Record<keyof NoteResponseDto, string> = {
    id: `${n}.id`,
    conversation_id: `${n}.conversation_id`,
    author: `(SELECT ${jsonObjectSql(author)} FROM users u WHERE u.id = ${n}.author_id)`,
    body: `${n}.body`,
    created_at: isoTimestampSql(`${n}.created_at`),
  };
  return jsonObjectSql(fields);
}
