import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { MAX_SEARCH_LENGTH, TrimSearch } from './search-query.js';

export const CONVERSATION_STATUS_FILTERS = ['open', 'closed', 'all'] as const;
export type ConversationStatusFilter = (typeof CONVERSATION_STATUS_FILTERS)[number];

/**
 * GET /api/conversations. The list is ordered by last_message_at, so `before_id` names the
 * last conversation of the previous page and the next page starts right after it.
 */
export class ListConversationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'open: is_active; closed: not is_active; all (default): both',
    enum: CONVERSATION_STATUS_FILTERS,
    default: 'all',
    example: 'open',
  })
  @IsOptional()
  @IsIn(CONVERSATION_STATUS_FILTERS)
  status: ConversationStatusFilter = 'all';

  @ApiPropertyOptional({
    description: "Search in the contact's name, profile name and number",
    example: 'jane',
    maxLength: MAX_SEARCH_LENGTH,
  })
  @IsOptional()
  @TrimSearch()
  @IsString()
  @MaxLength(MAX_SEARCH_LENGTH)
  q?: string;

  @ApiPropertyOptional({
    description:
      'me: assigned to the caller; none: unassigned; a user id: assigned to that teammate. ' +
      "Omitted: everyone's",
    example: 'me',
    pattern: '^(me|none|[1-9][0-9]{0,9})$',
  })
  @IsOptional()
  @Matches(/^(me|none|[1-9][0-9]{0,9})$/, {
    message: 'assignee must be me, none or a user id',
  })
  assignee?: string;
}
