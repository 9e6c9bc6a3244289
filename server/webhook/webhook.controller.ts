import { Controller, Get, Header, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../auth/public.decorator.js';
import { SkipRateLimit } from '../common/rate-limit/rate-limit.js';
import { VerifyWebhookQueryDto } from './dto/verify-webhook-query.dto.js';
import { WebhookAckDto } from './dto/webhook-ack.dto.js';
import { jsonRawBody } from './webhook-receiver.js';
import { WebhookService } from './webhook.service.js';
import { ApiErrorResponse } from '../common/errors/api-error-response.js';

const EXAMPLE_NOTIFICATION = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
            contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
            messages: [
              {
                from: '16505551234',
                id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
                timestamp: '1749416383',
                type: 'text',
                text: { body: 'Does it come in another color?' },
              },
            ],
          },
        },
      ],
    },
  ],
};

/**
 * Meta calls these: public, authenticated by the signature instead of a token. Never rate
 * limit them (a refused delivery is retried, delayed, and eventually dropped by Meta), hence
 * @SkipRateLimit on the whole controller.
 */
@ApiTags('webhook')
@Public()
@SkipRateLimit()
@Controller('webhook')
export class WebhookController {
  constructor(private readonly webhooks: WebhookService) {}

  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiOperation({
    summary: "Meta's subscription handshake",
    description:
      'Answers `hub.challenge` as plain text when `hub.verify_token` equals WA_VERIFY_TOKEN.',
  })
  // Only the 200 is plain text; the errors are the usual JSON body.
  @ApiOkResponse({
    description: 'The challenge, as plain text',
    content: { 'text/plain': { schema: { type: 'string', example: '1158201444' } } },
  })
  @ApiErrorResponse(400, 'hub.mode, hub.verify_token or hub.challenge missing')
  @ApiErrorResponse(403, 'Wrong mode or verify token')
  verify(@Query() query: VerifyWebhookQueryDto): Promise<string> {
    return this.webhooks.verifySubscription(query);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: "Receive Meta's notifications (messages and statuses)",
    description:
      'Verifies `X-Hub-Signature-256` over the raw body, keeps the raw event, and stores every contact, ' +
      'message and status of every entry and change exactly once (redeliveries store nothing twice). ' +
      'Answers 200 only after the commit. Unknown phone numbers, payloads of an unexpected shape and ' +
      'events that fail to process are kept raw (for `npm run webhooks:replay`) and still answered 200.',
  })
  @ApiHeader({
    name: 'X-Hub-Signature-256',
    description:
      '`sha256=` + hex HMAC-SHA256 of the raw body with the app secret (required when WA_APP_SECRET is set)',
    required: false,
  })
  @ApiBody({
    description: "Meta's notification payload",
    schema: { type: 'object', example: EXAMPLE_NOTIFICATION },
  })
  @ApiOkResponse({ type: WebhookAckDto, description: 'Stored (or kept raw); Meta stops retrying' })
  @ApiErrorResponse(400, 'The body is not JSON, or not sent as Content-Type: application/json')
  @ApiErrorResponse(401, 'Signature missing or wrong; nothing stored')
  @ApiErrorResponse(413, 'The body exceeds BODY_LIMIT')
  @ApiErrorResponse(
    503,
    'The database is unavailable (or deliveries kept colliding); Meta retries later',
  )
  // JSON deliveries are answered ahead of the router by WebhookReceiver (same service call);
  // this handler answers the rest, and documents the route.
  receive(
    @Req() req: Request,
    @Headers('x-hub-signature-256') signature: string | undefined,
  ): Promise<WebhookAckDto> {
    return this.webhooks.receive(jsonRawBody(req), req.body as unknown, signature);
  }
}
