// A small JSON client for the No Lose API on 127.0.0.1: one keep-alive socket, so sequential
// read timings measure the server, not connection setup.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export class ApiClient {
  constructor(port) {
    this.port = port;
    this.token = null;
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** Answers {status, body (parsed JSON when possible), ms}. Never throws on HTTP errors. */
  request(method, path, { body, timeoutMs = 120_000 } = {}) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          headers,
          agent: this.agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              // not JSON (e.g. an HTML 404): keep the text
            }
            resolve({ status: res.statusCode, body: parsed, ms });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  async json(method, path, options) {
    const res = await this.request(method, path, options);
    if (res.status < 200 || res.status >= 300) {
      throw new Error(
        `${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`,
      );
    }
    return res.body;
  }

  close() {
    this.agent.destroy();
  }
}
