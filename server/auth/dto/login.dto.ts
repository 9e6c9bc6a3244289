import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'user@example.com' })
  @MaxLength(254)
  @IsNotEmpty()
  @IsString()
  email: string;

  @ApiProperty({ example: 'securepassword' })
  @MaxLength(1024)
  @IsNotEmpty()
  @IsString()
  password: string;
}
