import { ApiProperty } from '@nestjs/swagger';
import type { WorkspaceInvite } from '../workspace-invite.entity.js';

export class InviteResponseDto {
  @ApiProperty({ example: 3 })
  id: number;

  @ApiProperty({ example: 'agent', enum: ['admin', 'agent'] })
  role: string;

  @ApiProperty({ example: 1 })
  max_uses: number;

  @ApiProperty({ example: 0 })
  uses: number;

  @ApiProperty({ example: '2026-11-27T10:00:00.000Z' })
  expires_at: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  revoked_at: string | null;

  @ApiProperty({ example: 'pending', enum: ['pending', 'expired', 'used', 'revoked'] })
  status: 'pending' | 'expired' | 'used' | 'revoked';

  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' })
  created_at: string;
}

/** Answer to POST /api/workspace/invites: the only time the token is ever shown. */
export class CreatedInviteResponseDto extends InviteResponseDto {
  @ApiProperty({
    example: 'n3VQ9k0aQwOq6n0xjJm4k1dY8w2b0Qf3lJp6Yw9H1gU',
    description: 'Secret token; shown once',
  })
  token: string;

  @ApiProperty({
    example: '/invite/n3VQ9k0aQwOq6n0xjJm4k1dY8w2b0Qf3lJp6Yw9H1gU',
    description: 'Path of the join page in the web app',
  })
  path: string;
}

/**
 * GET /api/invites/:token (public): what the link joins, for the invite page. Whoever
 * holds the token may join, so showing them the workspace's name reveals nothing more.
 */
export class InvitePreviewDto {
  @ApiProperty({ example: 1, description: 'The workspace the invite joins' })
  workspace_id: number;

  @ApiProperty({ example: "Jane Doe's workspace" })
  workspace_name: string;

  @ApiProperty({ example: 'agent', enum: ['admin', 'agent'], description: 'Role on joining' })
  role: 'admin' | 'agent';

  @ApiProperty({ example: '2026-11-27T10:00:00.000Z', format: 'date-time' })
  expires_at: string;
}

export function inviteStatus(
  invite: WorkspaceInvite,
  now = new Date(),
): InviteResponseDto['status'] {
  if (invite.revokedAt) return 'revoked';
  if (invite.uses >= invite.maxUses) return 'used';
  if (invite.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'pending';
}

export function toInviteResponse(invite: WorkspaceInvite): InviteResponseDto {
  return {
    id: invite.id,
    role: invite.role,
    max_uses: invite.maxUses,
    uses: invite.uses,
    expires_at: invite.expiresAt.toISOString(),
    revoked_at: invite.revokedAt?.toISOString() ?? null,
    status: inviteStatus(invite),
    created_at: invite.createdAt.toISOString(),
  };
}
