import { describe, expect, it } from '@jest/globals';
import { toPage } from './page-query.dto.js';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('toPage', () => {
  it('cuts the extra row and points the cursor at the last row kept', () => {
    expect(toPage(rows(9, 8, 7), 2)).toEqual({ items: rows(9, 8), nextBeforeId: 8 });
  });

  it('answers a null cursor when no extra row came back', () => {
    expect(toPage(rows(9, 8), 2)).toEqual({ items: rows(9, 8), nextBeforeId: null });
    expect(toPage(rows(), 2)).toEqual({ items: [], nextBeforeId: null });
  });
});
