import { ApiProperty } from '@nestjs/swagger';

/** What Meta gets back once the notification is committed. */
export class WebhookAckDto {
  @ApiProperty({ description: 'Always "ok": the notification is stored', example: 'ok' })
  status: 'ok';

  @ApiProperty({
    description:
      'Id of the first customer message of the notification, also when it had been stored by an earlier ' +
      'delivery; null when the notification carries no storable message (statuses only, unknown number, ' +
      'ignored or failed processing — the raw event is kept for a replay)',
    example: 42,
    nullable: true,
    type: Number,
  })
  message_id: number | null;
}
