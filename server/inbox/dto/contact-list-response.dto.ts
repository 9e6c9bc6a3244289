import { ApiProperty } from '@nestjs/swagger';
import { ContactResponseDto } from './contact-response.dto.js';

export class ContactListResponseDto {
  @ApiProperty({ description: 'Newest first', type: [ContactResponseDto] })
  contacts: ContactResponseDto[];

  @ApiProperty({
    description: 'Pass as before_id to get the next page; null on the last page',
    example: 311,
    nullable: true,
    type: Number,
  })
  next_before_id: number | null;
}
