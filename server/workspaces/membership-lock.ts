import type { EntityManager } from 'typeorm';

/**
 * Whether the user is a member of the workspace, share-locking the membership row until the
 * caller's transaction ends. Whoever assigns a conversation takes this first: removing the
 * member (WorkspacesService.removeMember) deletes the row and then unassigns, so it waits
 * for the assignment to commit and unassigns it too. Nobody outside a workspace stays
 * assigned, and both take the membership before any conversation row (no deadlock).
 */
export async function lockMembership(
  manager: EntityManager,
  workspaceId: number,
  userId: number,
): Promise<boolean> {
  const rows = await manager.query<unknown[]>(
    `SELECT 1 FROM workspace_members WHERE workspace_id = $1 AND user_id = $2 FOR SHARE`,
    [workspaceId, userId],
  );
  return rows.length > 0;
}
