import type { WorkspaceRole } from '../../core/auth/user.model';

/** `GET /api/workspace/members` item. */
export interface Member {
  readonly user_id: number;
  readonly email: string;
  readonly name: string;
  readonly role: WorkspaceRole;
  readonly joined_at: string;
}

/** `GET /api/workspace/invites` item; the token itself is only in the creation answer. */
export interface Invite {
  readonly id: number;
  readonly role: 'admin' | 'agent';
  readonly max_uses: number;
  readonly uses: number;
  readonly expires_at: string;
  readonly revoked_at: string | null;
  readonly status: 'pending' | 'expired' | 'used' | 'revoked';
  readonly created_at: string;
}

export interface CreatedInvite extends Invite {
  readonly token: string;
  readonly path: string;
}

/** `GET /api/invites/:token` (public): what an invite link joins. */
export interface InvitePreview {
  readonly workspace_id: number;
  readonly workspace_name: string;
  readonly role: 'admin' | 'agent';
  readonly expires_at: string;
}
