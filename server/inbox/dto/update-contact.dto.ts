import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** PATCH /api/contacts/:id: the name operators know the customer by. */
export class UpdateContactDto {
  @ApiProperty({
    description:
      'The name shown in the inbox (1–200 characters); it then stays when the customer changes ' +
      'their WhatsApp profile name. null goes back to the profile name, which it follows again.',
    example: 'Ana (VIP order)',
    nullable: true,
    type: String,
  })
  @Transform(trim)
  @ValidateIf((o: UpdateContactDto) => o.name !== null)
  @MaxLength(200)
  @IsNotEmpty({ message: 'name must not be empty; send null to use the WhatsApp profile name' })
  @IsString({ message: 'name must be a string, or null to use the WhatsApp profile name' })
  name: string | null;
}
