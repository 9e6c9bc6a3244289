import { Controller, Get, Param, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdParamDto } from '../common/pagination/id-param.dto.js';
import { mediaHeaders } from './media-headers.js';
import { MediaService } from './media.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

@ApiTags('inbox')
@ApiBearerAuth()
@ApiErrorResponse(401, 'Missing, invalid or expired token')
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
  @ApiErrorResponse(404, 'No such message in your workspace, or it has no stored media')
  @ApiErrorResponse(
    409,
    '`media_not_ready`: the download from WhatsApp is still queued or running; retry after `retry_after_seconds`',
  )
  @ApiErrorResponse(
    410,
    '`media_expired`: WhatsApp deleted the media before No Lose could download it',
  )
  @ApiErrorResponse(422, '`id` is not a valid message id')
  @ApiErrorResponse(502, '`media_download_failed`: every download attempt failed')
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
