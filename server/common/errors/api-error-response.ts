import { ApiResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto.js';

/** Swagger: an error answer, with the body every error of the API shares. */
export const ApiErrorResponse = (
  status: number,
  description: string,
): MethodDecorator & ClassDecorator => ApiResponse({ status, type: ErrorResponseDto, description });
