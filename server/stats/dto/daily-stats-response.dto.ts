import { ApiProperty } from '@nestjs/swagger';

export class DailyCountDto {
  @ApiProperty({ description: 'UTC calendar day', example: '2026-11-24', format: 'date' })
  date: string;

  @ApiProperty({ description: 'Messages received from customers that day', example: 3 })
  inbound: number;

  @ApiProperty({ description: 'Messages sent by operators that day', example: 2 })
  outbound: number;
}

export class DailyStatsResponseDto {
  @ApiProperty({
    description: 'One entry per day, oldest first, quiet days as zeros',
    type: [DailyCountDto],
  })
  days: DailyCountDto[];
}
