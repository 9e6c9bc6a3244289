import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

/**
 * Nest's Express adapter, with an HTTP server that creates each request and response on
 * Express's own prototypes (`app.request`, `app.response`).
 *
 * Express otherwise moves every request and response onto those prototypes as it enters
 * the app (`Object.setPrototypeOf`). Measured on Node 20 here, that made the request's
 * whole object graph survive young-generation collections: a bare Express app promoted
 * 8 KB per request, No Lose's /api/auth/me 37 KB; created on the right prototype, 1 KB
 * and 12 KB. Express still makes its call, but V8 returns at once when the prototype does
 * not change. (The same idea as expressjs/express#5998.)
 */
export class NoLoseExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    // HTTPS (never configured by No Lose itself) and Nest's extras keep Nest's own server.
    if (options.httpsOptions || options.forceCloseConnections || options.return503OnClosing) {
      super.initHttpServer(options);
      return;
    }
    const app = this.getInstance<Express>();
    this.httpServer = http.createServer(
      {
        IncomingMessage: onPrototype(IncomingMessage, app.request),
        ServerResponse: onPrototype(ServerResponse, app.response),
      },
      app,
    );
  }
}

/**
 * A constructor whose instances have `proto` as their prototype and are initialised by
 * `base` (Node's IncomingMessage and ServerResponse are plain functions that may be called
 * on an object). Not `Reflect.construct(base, args, Constructed)`: measured, that took
 * ~25 µs per object against ~0.3 µs, and cost the webhook ~10 % of its throughput.
 */
function onPrototype<T extends typeof IncomingMessage | typeof ServerResponse>(
  base: T,
  proto: object,
): T {
  const init = base as unknown as (this: object, ...args: unknown[]) => void;
  function Constructed(this: object, ...args: unknown[]): void {
    init.apply(this, args);
  }
  Constructed.prototype = proto;
  return Constructed as unknown as T;
}
