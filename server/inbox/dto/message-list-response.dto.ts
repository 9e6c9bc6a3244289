import { ApiProperty } from '@nestjs/swagger';
import { MessageResponseDto } from './message-response.dto.js';

export class MessageListResponseDto {
  @ApiProperty({ description: 'Newest first', type: [MessageResponseDto] })
  messages: MessageResponseDto[];

  @ApiProperty({
    description: 'Pass as before_id to get the next page; null on the last page',
    example: 1181,
    nullable: true,
    type: Number,
  })
  next_before_id: number | null;
}
