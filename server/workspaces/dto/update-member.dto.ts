import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export class UpdateMemberDto {
  @ApiProperty({
    enum: ['admin', 'agent'],
    example: 'admin',
    description: 'Ownership moves only through transfer-ownership',
  })
  @IsIn(['admin', 'agent'], { message: 'role must be admin or agent' })
  role: 'admin' | 'agent';
}
