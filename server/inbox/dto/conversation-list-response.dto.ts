import { ApiProperty } from '@nestjs/swagger';
import { ConversationResponseDto } from './conversation-response.dto.js';

export class ConversationListResponseDto {
  @ApiProperty({
    description: 'Most recent activity first (last_message_at desc)',
    type: [ConversationResponseDto],
  })
  conversations: ConversationResponseDto[];

  @ApiProperty({
    description: 'Pass as before_id to get the next page; null on the last page',
    example: 88,
    nullable: true,
    type: Number,
  })
  next_before_id: number | null;
}
