import { ApiProperty } from '@nestjs/swagger';

/** A message template of the WhatsApp Business Account. */
export class TemplateDto {
  @ApiProperty({ description: 'Template id', example: '1192034215573560' })
  id: string;

  @ApiProperty({ description: 'Name to send it by', example: 'hello_world' })
  name: string;

  @ApiProperty({
    description: 'APPROVED, PENDING, REJECTED, PAUSED or DISABLED',
    example: 'APPROVED',
  })
  status: string;

  @ApiProperty({ description: 'MARKETING, UTILITY or AUTHENTICATION', example: 'UTILITY' })
  category: string;

  @ApiProperty({ description: 'Language code to send it with', example: 'en_US' })
  language: string;

  @ApiProperty({
    description:
      "Meta's components (HEADER, BODY, FOOTER, BUTTONS) with their texts and placeholders",
    example: [{ type: 'BODY', text: 'Good news! Your order {{1}} has shipped.' }],
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  components: Record<string, unknown>[];
}

/** SPEC: `{"data":[{id, name, status, category, …}]}`. */
export class TemplateListResponseDto {
  @ApiProperty({ type: [TemplateDto] })
  data: TemplateDto[];
}
