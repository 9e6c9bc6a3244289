import { ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsOptional } from 'class-validator';

/** PATCH /api/conversations/:id: close, reopen and/or mark read in one call. */
export class UpdateConversationDto {
  @ApiPropertyOptional({
    description:
      'false closes the conversation; true reopens it (409 when the contact has another open one)',
    example: false,
  })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional({
    description: 'true marks every message of the conversation read (unread_count becomes 0)',
    example: true,
    enum: [true],
  })
  @IsOptional()
  @Equals(true, { message: 'read can only be true' })
  read?: true;
}
