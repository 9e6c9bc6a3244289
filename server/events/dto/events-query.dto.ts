import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { InputValidationException } from '../../common/errors/validation.js';

export const EVENT_ID_PATTERN = /^\d{1,18}$/;

/** GET /api/events query: what EventSource cannot send as headers. */
export class EventsQueryDto {
  @ApiPropertyOptional({
    description:
      'The bearer token, for EventSource (which cannot set headers). Accepted on this route only.',
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  })
  @IsOptional()
  @IsString()
  access_token?: string;

  @ApiPropertyOptional({
    description:
      'Replay events after this id (as the Last-Event-ID header does; the header wins, since EventSource sends it on every reconnect)',
    example: '1042',
  })
  @IsOptional()
  @Matches(EVENT_ID_PATTERN, { message: 'last_event_id must be a non-negative integer' })
  last_event_id?: string;

  @ApiPropertyOptional({
    description:
      'The workspace to stream (as the X-Workspace-Id header does elsewhere); you must belong to it, else 401',
    example: '3',
  })
  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'workspace_id must be a positive integer' })
  workspace_id?: string;
}

/** Last-Event-ID header first (EventSource resends it on reconnect), then ?last_event_id=. */
export function resolveLastEventId(
  header: string | undefined,
  query: EventsQueryDto,
): bigint | undefined {
  if (header !== undefined && header.trim() !== '') {
    if (!EVENT_ID_PATTERN.test(header.trim())) {
      throw new InputValidationException([
        { field: 'Last-Event-ID', message: 'Last-Event-ID must be a non-negative integer' },
      ]);
    }
    return BigInt(header.trim());
  }
  return query.last_event_id === undefined ? undefined : BigInt(query.last_event_id);
}
