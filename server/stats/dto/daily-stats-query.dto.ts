import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const MAX_DAILY_STATS_DAYS = 90;

export class DailyStatsQueryDto {
  @ApiPropertyOptional({
    description: `How many UTC days to report, today included (1..${MAX_DAILY_STATS_DAYS})`,
    example: 14,
    default: 14,
    minimum: 1,
    maximum: MAX_DAILY_STATS_DAYS,
  })
  @IsOptional()
  @Type(() => Number)
  @Max(MAX_DAILY_STATS_DAYS)
  @Min(1)
  @IsInt()
  days: number = 14;
}
