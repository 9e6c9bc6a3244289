import { ApiProperty } from '@nestjs/swagger';

export class VerifyDataDto {
  @ApiProperty({
    description: 'Id of the WhatsApp phone number the token reached',
    example: '106540352242922',
  })
  id: string;
}

/** SPEC: `{"status":"ok","data":{"id":"…"}}`. */
export class VerifyResponseDto {
  @ApiProperty({
    description: 'Always "ok": failures answer an error status instead',
    example: 'ok',
    enum: ['ok'],
  })
  status: 'ok';

  @ApiProperty({ type: VerifyDataDto })
  data: VerifyDataDto;
}
