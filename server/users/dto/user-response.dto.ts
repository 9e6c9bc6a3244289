import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';

/** SPEC's user object. Built only by toUserResponse, so the password hash cannot leak. */
export class UserResponseDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: 'user@example.com' })
  email: string;

  @ApiProperty({ example: 'John Doe' })
  name: string;

  @ApiProperty({ example: true })
  is_active: boolean;

  @ApiProperty({ example: '2026-01-24T10:30:00.000Z', format: 'date-time' })
  created_at: string;
}

export function toUserResponse(user: User): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
  };
}
