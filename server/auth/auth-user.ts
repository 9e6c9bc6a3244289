import type { WorkspaceRole } from '../workspaces/workspace-member.entity.js';

/** Who is calling, resolved from the token on every request. */
export interface AuthUser {
  id: number;
  email: string;
  name: string;
  workspaceId: number;
  workspaceName: string;
  role: WorkspaceRole;
}
