import { ApiProperty } from '@nestjs/swagger';
import { IsByteLength, IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';

/** PUT /auth/password: the current password proves it is the user, not a stolen token. */
export class ChangePasswordDto {
  @ApiProperty({ example: 'securepassword' })
  @MaxLength(1024)
  @IsNotEmpty()
  @IsString()
  current_password: string;

  @ApiProperty({
    example: 'another-secure-password',
    description: '6 to 72 bytes (bcrypt limit)',
    minLength: 6,
  })
  @IsByteLength(0, 72, { message: 'new_password must be at most 72 bytes' })
  @MinLength(6, { message: 'new_password must be at least 6 characters' })
  @IsString()
  new_password: string;
}
