import { describe, expect, it } from '@jest/globals';
import { pgSafeJson, pgSafeText } from './pg-safe-json.js';

describe(pgSafeText.name, () => {
  it('keeps ordinary text, emoji included, untouched', () => {
    const text = 'Привет 👋 ß';
    expect(pgSafeText(text)).toBe(text);
  });

  it('replaces NUL and unpaired surrogates, which PostgreSQL refuses', () => {
    expect(pgSafeText('a\u0000b')).toBe('a\uFFFDb');
    expect(pgSafeText('x\uD83Dy')).toBe('x\uFFFDy');
    expect(pgSafeText('x\uDC4By')).toBe('x\uFFFDy');
    expect(pgSafeText('\uD83D\uDC4B\uD83D')).toBe('\uD83D\uDC4B\uFFFD');
  });
});

describe(pgSafeJson.name, () => {
  it('cleans strings at any depth, keys included, and keeps other values', () => {
    expect(pgSafeJson({ 'k\u0000': ['v\u0000', 1, true, null, { deep: '\uD800' }] })).toEqual({
      'k\uFFFD': ['v\uFFFD', 1, true, null, { deep: '\uFFFD' }],
    });
  });
});
