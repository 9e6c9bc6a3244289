/**
 * Contact search (`q`): a case-insensitive substring match over name, profile name and
 * number. The left side is written exactly as the trigram index contacts_search_trgm_idx
 * (migration 1764000200000) so PostgreSQL can use it. Lower-casing goes through the
 * builtin `pg_c_utf8` collation (PostgreSQL 17+) where the server has it, because a
 * database created with the C locale (the embedded one) lower-cases ASCII only and would
 * not find "Álvares" or "Анна" by "álvares" or "анна". Both sides are lower-cased by the
 * same expression, so results do not depend on whether the index is used.
 */
export function contactSearchCondition(alias: string, unicodeCollation: boolean): string {
  const collate = unicodeCollation ? ' COLLATE "pg_c_utf8"' : '';
  const text = `(coalesce(${alias}.name, '') || ' ' || coalesce(${alias}.profileName, '') || ' ' || ${alias}.waId)`;
  return `lower(${text}${collate}) LIKE lower(:pattern${collate})`;
}

/** Whether the server offers the collation contactSearchCondition prefers (checked once). */
export const UNICODE_COLLATION_QUERY = `SELECT EXISTS (
  SELECT 1 FROM pg_collation WHERE collname = 'pg_c_utf8'
) AND current_setting('server_encoding') = 'UTF8' AS available`;

const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/**
 * The LIKE pattern for a search. A query that looks like a phone number ("+1 (555)
 * 123-45") is reduced to its digits, because wa_id holds digits only. LIKE's wildcards
 * are escaped so `%` and `_` match themselves.
 */
export function searchPattern(q: string): string {
  const term = PHONE_LIKE.test(q) && /\d/.test(q) ? q.replace(/\D/g, '') : q;
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
