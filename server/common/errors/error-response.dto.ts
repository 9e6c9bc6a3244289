import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ description: 'The offending field or parameter', example: 'password' })
  field: string;

  @ApiProperty({
    description: 'What is wrong with it',
    example: 'password must be at least 6 characters',
  })
  message: string;
}

/** The one error body of the whole API. */
export class ErrorResponseDto {
  @ApiProperty({ description: 'HTTP status code', example: 422 })
  status_code: number;

  @ApiProperty({ description: 'HTTP reason phrase', example: 'Unprocessable Entity' })
  error: string;

  @ApiProperty({
    description: 'A readable explanation',
    example: 'password must be at least 6 characters',
  })
  message: string;

  @ApiPropertyOptional({
    description: 'Stable machine-readable code for domain errors',
    example: 'window_closed',
  })
  code?: string;

  @ApiPropertyOptional({
    type: [FieldErrorDto],
    description: 'Per-field problems (validation errors only)',
  })
  errors?: FieldErrorDto[];
}
