import { ApiProperty } from '@nestjs/swagger';

/** One phone number of the WhatsApp Business Account (SPEC fields, then extras). */
export class PhoneNumberDto {
  @ApiProperty({ description: 'Phone number id (WA_PHONE_NUMBER_ID)', example: '106540352242922' })
  id: string;

  @ApiProperty({ description: 'The number as customers see it', example: '+1 555-078-3881' })
  display_phone_number: string;

  @ApiProperty({
    description: "Meta's quality rating: GREEN, YELLOW, RED or UNKNOWN",
    example: 'GREEN',
    nullable: true,
    type: String,
  })
  quality_rating: string | null;

  @ApiProperty({
    description: 'Connection status, e.g. CONNECTED',
    example: 'CONNECTED',
    nullable: true,
    type: String,
  })
  status: string | null;

  @ApiProperty({
    description: 'Business name approved for the number',
    example: 'Lucky Shrub',
    nullable: true,
    type: String,
  })
  verified_name: string | null;
}
