/** The signed-in operator, as `GET /api/auth/me` returns it (SPEC: Auth). */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly is_active: boolean;
  readonly created_at: string;
  /** The workspace requests act in, and the user's role there (`/api/auth/me` only). */
  readonly workspace?: CurrentWorkspace;
}

export type WorkspaceRole = 'owner' | 'admin' | 'agent';

export interface CurrentWorkspace {
  readonly id: number;
  readonly name: string;
  readonly role: WorkspaceRole;
}

/** `POST /api/auth/login` answer. */
export interface LoginResponse {
  readonly access_token: string;
  readonly token_type: string;
}
