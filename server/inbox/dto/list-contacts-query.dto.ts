import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import { MAX_SEARCH_LENGTH, TrimSearch } from './search-query.js';

/** GET /api/contacts: SPEC's skip/limit plus a search and the cursor. */
export class ListContactsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description:
      'Search in name, profile name and number (case-insensitive substring; a phone number may contain spaces, +, - and brackets)',
    example: 'jane',
    maxLength: MAX_SEARCH_LENGTH,
  })
  @IsOptional()
  @TrimSearch()
  @IsString()
  @MaxLength(MAX_SEARCH_LENGTH)
  q?: string;
}
