import { STATUS_CODES } from 'node:http';
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/**
 * Swagger: an error answer — always JSON with the body every error of the API shares, also
 * on routes that otherwise produce media or an event stream — with an example for this
 * status (the schema's own example is a 422, which misleads under a 404). The example's
 * message is `exampleMessage`, else the description up to its first `;` without markdown.
 */
export const ApiErrorResponse = (
  status: number,
  description: string,
  exampleMessage = description.split(';')[0].replace(/`/g, '').trim(),
): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiExtraModels(ErrorResponseDto),
    ApiResponse({
      status,
      description,
      content: {
        'application/json': {
          schema: { $ref: getSchemaPath(ErrorResponseDto) },
          example: {
            status_code: status,
            error: STATUS_CODES[status] ?? 'Error',
            message: exampleMessage,
          },
        },
      },
    }),
  );
