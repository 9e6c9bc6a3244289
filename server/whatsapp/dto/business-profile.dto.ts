import { ApiProperty } from '@nestjs/swagger';

/** SPEC's business profile: Meta's `whatsapp_business_profile`, missing fields as null. */
export class BusinessProfileDto {
  @ApiProperty({
    description: 'The "About" text',
    example: 'Fresh plants, delivered.',
    nullable: true,
    type: String,
  })
  about: string | null;

  @ApiProperty({
    description: 'Business address',
    example: '1 Hacker Way, Menlo Park, CA 94025',
    nullable: true,
    type: String,
  })
  address: string | null;

  @ApiProperty({
    description: 'Business description',
    example: 'Lucky Shrub sells houseplants and garden supplies online.',
    nullable: true,
    type: String,
  })
  description: string | null;

  @ApiProperty({
    description: 'Contact email',
    example: 'hello@luckyshrub.example',
    nullable: true,
    type: String,
  })
  email: string | null;

  @ApiProperty({
    description: 'Profile picture URL (hosted by Meta)',
    example: 'https://pps.whatsapp.net/v/t61.24694-24/lucky-shrub.jpg',
    nullable: true,
    type: String,
  })
  profile_picture_url: string | null;

  @ApiProperty({
    description: 'Up to two websites',
    example: ['https://www.luckyshrub.com'],
    type: [String],
  })
  websites: string[];

  @ApiProperty({
    description: "Meta's industry code",
    example: 'RETAIL',
    nullable: true,
    type: String,
  })
  vertical: string | null;
}
