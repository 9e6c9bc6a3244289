import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsByteLength,
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class RegisterDto {
  @ApiProperty({ example: 'user@example.com', description: 'Trimmed; matched case-insensitively' })
  @Transform(trim)
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid email address' })
  email: string;

  @ApiProperty({
    example: 'securepassword',
    description: '6 to 72 bytes (bcrypt limit)',
    minLength: 6,
  })
  @IsByteLength(0, 72, { message: 'password must be at most 72 bytes' })
  @MinLength(6, { message: 'password must be at least 6 characters' })
  @IsString()
  password: string;

  @ApiProperty({ example: 'John Doe', maxLength: 200 })
  @Transform(trim)
  @MaxLength(200)
  @IsNotEmpty({ message: 'name must not be empty' })
  @IsString()
  name: string;

  @ApiProperty({
    required: false,
    example: 'n3VQ9k0aQwOq6n0xjJm4k1dY8w2b0Qf3lJp6Yw9H1gU',
    description:
      "Token of an invite link: the new user joins that workspace (with the invite's role) instead of getting one of their own",
  })
  @IsOptional()
  @Matches(/^[\w-]{20,100}$/, { message: 'invite_token is not a valid invite token' })
  @IsString()
  invite_token?: string;
}
