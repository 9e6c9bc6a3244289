/** The signed-in operator, as `GET /api/auth/me` returns it (SPEC: Auth). */
export interface User {
  readonly id: number;
  readonly email: string;
  readonly name: string;
  readonly is_active: boolean;
  readonly created_at: string;
}

/** `POST /api/auth/login` answer. */
export interface LoginResponse {
  readonly access_token: string;
  readonly token_type: string;
}
