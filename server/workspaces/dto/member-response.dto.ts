import { ApiProperty } from '@nestjs/swagger';

export class MemberResponseDto {
  @ApiProperty({ example: 7 })
  user_id: number;

  @ApiProperty({ example: 'jane@example.com' })
  email: string;

  @ApiProperty({ example: 'Jane Doe' })
  name: string;

  @ApiProperty({ example: 'agent', enum: ['owner', 'admin', 'agent'] })
  role: string;

  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' })
  joined_at: string;
}

export class WorkspaceSummaryDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: "Jane Doe's workspace" })
  name: string;

  @ApiProperty({ example: 'owner', enum: ['owner', 'admin', 'agent'] })
  role: string;
}
