import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { ErrorResponseDto } from '../common/errors/error-response.dto.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { mediaHeaders } from './media-headers.js';
import { MediaService } from './media.service.js';

@ApiTags('inbox')
@ApiBearerAuth()
@ApiResponse({
  status: 401,
  type: ErrorResponseDto,
  description: 'Missing, invalid or expired token',
})
@Controller('messages')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  @Get(':id/media')
  @ApiOperation({
    summary: 'The media file a customer sent (image, video, audio, document, sticker)',
    description:
      'The bytes as downloaded from WhatsApp when the message arrived, with their content type and ' +
      '`Content-Disposition` carrying the file name (`inline` for images, audio and video, `attachment` otherwise).',
  })
  @ApiProduces('image/*', 'video/*', 'audio/*', 'application/octet-stream')
  @ApiOkResponse({ description: 'The file', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({
    status: 404,
    type: ErrorResponseDto,
    description: 'No such message in your workspace, or it has no stored media',
  })
  @ApiResponse({
    status: 409,
    type: ErrorResponseDto,
    description:
      '`media_not_ready`: the download from WhatsApp is still queued or running; retry after `retry_after_seconds`',
  })
  @ApiResponse({
    status: 410,
    type: ErrorResponseDto,
    description: '`media_expired`: WhatsApp deleted the media before No Lose could download it',
  })
  @ApiResponse({
    status: 422,
    type: ErrorResponseDto,
    description: '`id` is not a valid message id',
  })
  @ApiResponse({
    status: 502,
    type: ErrorResponseDto,
    description: '`media_download_failed`: every download attempt failed',
  })
  async download(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const file = await this.media.find(user.workspaceId, params.id);
    res.set(mediaHeaders(file));
    return new StreamableFile(file.bytes);
  }
}
