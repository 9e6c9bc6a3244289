import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** PUT /auth/me takes `name` from the query (SPEC) or from a JSON body. */
export class UpdateProfileDto {
  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @IsOptional()
  @Transform(trim)
  @MaxLength(200)
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString()
  name?: string;
}
