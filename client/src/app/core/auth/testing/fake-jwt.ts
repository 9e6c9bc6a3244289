/** An unsigned JWT carrying `claims`, for tests: the client never verifies signatures. */
export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string =>
    btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

/** A token that expires `seconds` from now. */
export function tokenExpiringIn(seconds: number): string {
  return fakeJwt({ sub: '1', exp: Math.floor(Date.now() / 1000) + seconds });
}
