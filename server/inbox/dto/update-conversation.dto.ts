import { ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

/** PATCH /api/conversations/:id: close, reopen, mark read and/or assign in one call. */
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

  @ApiPropertyOptional({
    description:
      'Assigns the conversation to this teammate (a user id from GET /api/workspace/members; 422 ' +
      'when not a member of the workspace); null unassigns it',
    example: 7,
    nullable: true,
    type: Number,
  })
  // IsOptional lets null through unvalidated: null is the "unassign" value.
  @IsOptional()
  @IsInt({ message: 'assignee_id must be a user id (an integer) or null' })
  @Min(1)
  @Max(2147483647)
  assignee_id?: number | null;
}
