import { describe, expect, it } from '@jest/globals';
import { contactSearchCondition, searchPattern } from './inbox-search.js';

describe('searchPattern', () => {
  it('wraps the term for a substring match', () => {
    expect(searchPattern('jane')).toBe('%jane%');
  });

  it('reduces a phone-looking query to its digits', () => {
    expect(searchPattern('+44 (7700) 900-123')).toBe('%447700900123%');
  });

  it('keeps a query with letters as typed', () => {
    expect(searchPattern('Room 101')).toBe('%Room 101%');
  });

  it('escapes LIKE wildcards and the escape character', () => {
    expect(searchPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('contactSearchCondition', () => {
  it('lower-cases both sides through pg_c_utf8 when the server has it', () => {
    expect(contactSearchCondition('ct', true)).toBe(
      `lower((coalesce(ct.name, '') || ' ' || coalesce(ct.profileName, '') || ' ' || ct.waId) COLLATE "pg_c_utf8") ` +
        `LIKE lower(:pattern COLLATE "pg_c_utf8")`,
    );
  });

  it("falls back to the database's collation", () => {
    expect(contactSearchCondition('p', false)).toBe(
      `lower((coalesce(p.name, '') || ' ' || coalesce(p.profileName, '') || ' ' || p.waId)) LIKE lower(:pattern)`,
    );
  });
});
