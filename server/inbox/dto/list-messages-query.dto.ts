import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_ID, PageQueryDto } from '../../common/pagination/page-query.dto.js';

/** GET /api/messages: SPEC's skip/limit/contact_id plus conversation_id and the cursor. */
export class ListMessagesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'Only messages exchanged with this contact',
    example: 5,
    minimum: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_ID)
  @Min(1)
  @IsInt()
  contact_id?: number;

  @ApiPropertyOptional({
    description: 'Only messages of this conversation',
    example: 7,
    minimum: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_ID)
  @Min(1)
  @IsInt()
  conversation_id?: number;
}
