import { Transform } from 'class-transformer';

/** Trims `q`; an empty search means no search. */
export const TrimSearch = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  });

export const MAX_SEARCH_LENGTH = 100;
