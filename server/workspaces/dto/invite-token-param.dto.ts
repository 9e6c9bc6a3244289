import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

export class InviteTokenParamDto {
  @ApiProperty({
    description: 'The token from the invite link',
    example: 'n3VQ9k0aQwOq6n0xjJm4k1dY8w2b0Qf3lJp6Yw9H1gU',
  })
  @Matches(/^[\w-]{20,100}$/, { message: 'token is not a valid invite token' })
  @IsString()
  token: string;
}
