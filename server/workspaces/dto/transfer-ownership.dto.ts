import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_ID } from '../../common/pagination/page-query.dto.js';

export class TransferOwnershipDto {
  @ApiProperty({
    example: 7,
    description: 'A member of this workspace; the current owner becomes an admin',
  })
  @Max(MAX_ID)
  @Min(1)
  @IsInt()
  user_id: number;
}
