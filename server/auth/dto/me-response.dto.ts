import { ApiProperty } from '@nestjs/swagger';
import { UserResponseDto } from '../../users/dto/user-response.dto.js';

export class CurrentWorkspaceDto {
  @ApiProperty({ example: 1 })
  id: number;

  @ApiProperty({ example: "John Doe's workspace" })
  name: string;

  @ApiProperty({ example: 'owner', enum: ['owner', 'admin', 'agent'] })
  role: string;
}

/** SPEC's user object plus the workspace the request acts in. */
export class MeResponseDto extends UserResponseDto {
  @ApiProperty({ type: CurrentWorkspaceDto })
  workspace: CurrentWorkspaceDto;
}
