import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_ID } from '../../common/pagination/page-query.dto.js';

export class UserIdParamDto {
  @ApiProperty({ description: 'User id of a member', example: 7, minimum: 1 })
  @Type(() => Number)
  @Max(MAX_ID)
  @Min(1)
  @IsInt()
  userId: number;
}
