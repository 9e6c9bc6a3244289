import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** PostgreSQL `integer` ids stop here; larger values could never match a row. */
export const MAX_ID = 2_147_483_647;
export const MAX_PAGE_SIZE = 100;

/**
 * Paging shared by every list: `limit` (1..100), `skip` (an offset, kept for SPEC
 * compatibility) and the `before_id` cursor, which stays cheap however deep the page.
 *
 * class-validator checks a property's rules bottom-up and the pipe reports the first one
 * broken, so the type rule sits lowest: `limit=ten` is "not an integer", not "too large".
 */
export class PageQueryDto {
  @ApiPropertyOptional({
    description: `How many rows to return (1..${MAX_PAGE_SIZE})`,
    example: 50,
    default: MAX_PAGE_SIZE,
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_PAGE_SIZE)
  @Min(1)
  @IsInt()
  limit: number = MAX_PAGE_SIZE;

  @ApiPropertyOptional({
    description:
      'Rows to skip before the page starts (offset paging; prefer before_id for deep pages)',
    example: 0,
    default: 0,
    minimum: 0,
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_ID)
  @Min(0)
  @IsInt()
  skip: number = 0;

  @ApiPropertyOptional({
    description:
      "Cursor: continue after the row with this id (pass the previous page's `next_before_id`)",
    example: 1234,
    minimum: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_ID)
  @Min(1)
  @IsInt()
  before_id?: number;
}

export interface Page<T> {
  items: T[];
  /** The cursor for the next page, or null when this page is the last. */
  nextBeforeId: number | null;
}

/**
 * Cuts a result fetched with `limit + 1` rows down to `limit`: the extra row only tells
 * whether another page exists, so `next_before_id` is null exactly at the end.
 */
export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const more = rows.length > limit;
  return { items, nextBeforeId: more && items.length > 0 ? items[items.length - 1].id : null };
}
