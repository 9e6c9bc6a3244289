import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_ID } from './page-query.dto.js';

/** `:id` path parameters: a positive integer, or 422 naming `id`. */
export class IdParamDto {
  @ApiProperty({ description: 'Row id', example: 7, minimum: 1 })
  @Type(() => Number)
  @Max(MAX_ID)
  @Min(1)
  @IsInt()
  id: number;
}
