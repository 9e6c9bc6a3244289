import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class CreateInviteDto {
  @ApiProperty({
    required: false,
    enum: ['admin', 'agent'],
    default: 'agent',
    description: 'Role the invitee joins with',
    example: 'agent',
  })
  @IsOptional()
  @IsIn(['admin', 'agent'], { message: 'role must be admin or agent' })
  role?: 'admin' | 'agent';

  @ApiProperty({
    required: false,
    default: 1,
    minimum: 1,
    maximum: 1000,
    description: 'How many people may join through the link',
    example: 5,
  })
  @IsOptional()
  @Max(1000)
  @Min(1)
  @IsInt()
  max_uses?: number;

  @ApiProperty({
    required: false,
    default: 72,
    minimum: 1,
    maximum: 720,
    description: 'Hours until the link expires',
    example: 48,
  })
  @IsOptional()
  @Max(720)
  @Min(1)
  @IsInt()
  expires_in_hours?: number;
}
