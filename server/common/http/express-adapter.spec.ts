import { afterEach, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express, Request, Response } from 'express';
import { NoLoseExpressAdapter } from './express-adapter.js';

describe('NoLoseExpressAdapter', () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  /** An adapter's server listening on a free port, with `route` on GET /probe. */
  async function serve(route: (req: Request, res: Response, app: Express) => void) {
    const adapter = new NoLoseExpressAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<Express>();
    app.get('/probe', (req, res) => route(req, res, app));
    server = adapter.getHttpServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('creates requests and responses on Express’s own prototypes', async () => {
    const base = await serve((req, res, app) => {
      res.json({
        request: Object.getPrototypeOf(req) === app.request,
        response: Object.getPrototypeOf(res) === app.response,
      });
    });
    const answer = await fetch(`${base}/probe`);
    expect(await answer.json()).toEqual({ request: true, response: true });
  });

  it('keeps what Express adds to them working', async () => {
    const base = await serve((req, res, app) => {
      res
        .status(201)
        .set('X-Probe', 'yes')
        .json({
          query: req.query,
          path: req.path,
          host: req.hostname,
          sameApp: req.app === app,
          header: req.get('x-custom'),
        });
    });
    const answer = await fetch(`${base}/probe?a=1&b=two`, { headers: { 'X-Custom': 'c' } });
    expect(answer.status).toBe(201);
    expect(answer.headers.get('x-probe')).toBe('yes');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await answer.json()).toEqual({
      query: { a: '1', b: 'two' },
      path: '/probe',
      host: '127.0.0.1',
      sameApp: true,
      header: 'c',
    });
  });
});
