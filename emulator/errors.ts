/**
 * Meta Graph API error bodies.
 *
 * Shape and codes follow Meta's Cloud API error reference
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes):
 * `{"error":{"message":"(#CODE) Title","type","code","error_data":{"messaging_product","details"},
 * "error_subcode"?,"fbtrace_id"}}`. Meta asks clients to branch on `code` and `details`, not on the
 * HTTP status, so the statuses below are the ones the reference table lists for each code.
 */

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

interface ErrorSpec {
  title: string;
  httpStatus: number;
  details: string;
  type?: string;
}

/** Codes the emulator can produce, with the HTTP status Meta's error table gives for each. */
export const ERROR_CATALOG: Readonly<Record<number, ErrorSpec>> = {
  0: {
    title: 'AuthException',
    httpStatus: 401,
    details: 'We were unable to authenticate the app user.',
  },
  1: {
    title: 'API Unknown',
    httpStatus: 400,
    details: 'Invalid request or possible server error.',
  },
  2: {
    title: 'API Service',
    httpStatus: 503,
    details: 'Temporary due to downtime or due to being overloaded.',
  },
  4: {
    title: 'API Too Many Calls',
    httpStatus: 400,
    details: 'The app has reached its API call rate limit.',
  },
  100: {
    title: 'Invalid parameter',
    httpStatus: 400,
    details: 'The request included one or more unsupported or misspelled parameters.',
  },
  190: {
    title: 'Access token has expired',
    httpStatus: 401,
    details: 'Your access token has expired.',
  },
  // Meta's table lists 429 for 130429 (some BSP mirrors say 400); apps must key off `code` anyway.
  130429: {
    title: 'Rate limit hit',
    httpStatus: 429,
    details:
      'Message failed to send because there were too many messages sent from this phone number in a short period of time',
  },
  131000: {
    title: 'Something went wrong',
    httpStatus: 500,
    details: 'Message failed to send due to an unknown error.',
  },
  131005: {
    title: 'Access denied',
    httpStatus: 403,
    details: 'Permission is either not granted or has been removed.',
  },
  131008: {
    title: 'Required parameter is missing',
    httpStatus: 400,
    details: 'The request is missing a required parameter.',
  },
  131009: {
    title: 'Parameter value is not valid',
    httpStatus: 400,
    details: 'One or more parameter values are invalid.',
  },
  131026: {
    title: 'Message undeliverable',
    httpStatus: 400,
    details: 'Message Undeliverable.',
  },
  131047: {
    title: 'Re-engagement message',
    httpStatus: 400,
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  131051: {
    title: 'Unsupported message type',
    httpStatus: 400,
    details: 'Message type is not currently supported.',
  },
  131053: {
    title: 'Media upload error',
    httpStatus: 400,
    details: 'Unable to upload the media used in the message.',
  },
  131056: {
    title: '(Business Account, Consumer Account) pair rate limit hit',
    httpStatus: 400,
    details:
      'Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.',
  },
  132000: {
    title: 'Number of parameters does not match the expected number of params',
    httpStatus: 400,
    details:
      'The number of variable parameter values does not match the number defined in the template.',
  },
  132001: {
    title: 'Template does not exist',
    httpStatus: 404,
    details: 'template name does not exist in the translation',
  },
  132012: {
    title: 'Parameter format does not match format in the created template',
    httpStatus: 400,
    details: 'Variable parameter values formatted incorrectly.',
  },
  133010: {
    title: 'Phone number not registered',
    httpStatus: 400,
    details: 'The phone number is not registered on the WhatsApp Business Platform.',
  },
};

/** A Graph error ready to be written: HTTP status plus Meta's body. */
export class GraphError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly body: GraphErrorBody,
  ) {
    super(body.error.message);
  }
}

export interface GraphErrorOptions {
  details?: string;
  /** Overrides the catalog's title inside `message`. */
  title?: string;
  httpStatus?: number;
  subcode?: number;
  type?: string;
  fbtraceId: string;
}

/** WhatsApp-style error: `message` is "(#code) title" and `error_data.details` explains it. */
export function whatsappError(code: number, options: GraphErrorOptions): GraphError {
  const spec = ERROR_CATALOG[code] ?? {
    title: 'Unknown error',
    httpStatus: 400,
    details: 'Unknown error.',
  };
  const body: GraphErrorBody = {
    error: {
      message: `(#${code}) ${options.title ?? spec.title}`,
      type: options.type ?? spec.type ?? 'OAuthException',
      code,
      ...(options.subcode === undefined ? {} : { error_subcode: options.subcode }),
      error_data: { messaging_product: 'whatsapp', details: options.details ?? spec.details },
      fbtrace_id: options.fbtraceId,
    },
  };
  return new GraphError(options.httpStatus ?? spec.httpStatus, body);
}

/**
 * Invalid request body: Meta answers code 100 naming the offending parameter
 * (e.g. "(#100) The parameter messaging_product is required.").
 */
export function invalidParameter(details: string, fbtraceId: string): GraphError {
  return whatsappError(100, { title: details, details, fbtraceId });
}

/**
 * Token errors are plain Graph OAuth errors (no `error_data`). Subcode 463 is Graph's
 * "session has expired"; a token that does not parse has no subcode.
 */
export function tokenError(
  reason: 'missing' | 'invalid' | 'expired',
  fbtraceId: string,
): GraphError {
  const messages = {
    missing: 'An active access token must be used to query information about the current user.',
    invalid: 'Invalid OAuth access token - Cannot parse access token',
    expired: 'Error validating access token: Session has expired.',
  } as const;
  return new GraphError(401, {
    error: {
      message: messages[reason],
      type: 'OAuthException',
      code: 190,
      ...(reason === 'expired' ? { error_subcode: 463 } : {}),
      fbtrace_id: fbtraceId,
    },
  });
}

/**
 * Graph's answer for an id that does not exist or is not visible to the token (unknown media,
 * expired media, wrong phone-number id): HTTP 400, code 100, subcode 33, GraphMethodException.
 */
export function unknownObject(
  id: string,
  method: 'get' | 'post' | 'delete',
  fbtraceId: string,
): GraphError {
  return new GraphError(400, {
    error: {
      message: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: fbtraceId,
    },
  });
}

/** Graph's answer for a path it does not know. */
export function unknownPath(path: string, fbtraceId: string): GraphError {
  return new GraphError(400, {
    error: {
      message: `Unknown path components: ${path}`,
      type: 'OAuthException',
      code: 2500,
      fbtrace_id: fbtraceId,
    },
  });
}

/** The `errors[]` entry used in webhooks (failed statuses, unsupported messages). */
export interface WebhookError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href?: string;
}

export function webhookError(code: number, details?: string): WebhookError {
  const spec = ERROR_CATALOG[code] ?? {
    title: 'Unknown error',
    httpStatus: 400,
    details: 'Unknown error.',
  };
  return {
    code,
    title: spec.title,
    message: spec.title,
    error_data: { details: details ?? spec.details },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
}
