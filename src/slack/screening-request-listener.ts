import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Log } from '../core/ports.js';
import { screenSlackRequest } from './screen-slack-request.js';

/** Slack's own limit on request bodies is far below this. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Wraps Bolt's HTTP request listener: every `POST` body, whatever its path, is read first and
 * screened (see `screenSlackRequest`: the signature, then the shape), then handed to Bolt already
 * buffered (Bolt uses `req.rawBody` when it is there). Bolt's receiver throws outside any handler on
 * some signed bodies (a JSON `null` took the process down), so nothing unscreened reaches it; and
 * since this is where signatures are checked, Bolt's receiver need not check them again.
 */
export function screeningRequestListener(
  inner: RequestListener,
  options: {
    signingSecret: string;
    log: Log;
    /** Told of each signed POST from its screening until its response is done (see `AckTraffic`). */
    traffic?: { begin(): () => void };
  },
): RequestListener {
  // Bolt's listener throws, outside any handler, on a request it has no route for (`GET /`, a `HEAD`, a
  // POST to another path): answered 404 here rather than taking the process down.
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    try {
      inner(req, res);
    } catch (error) {
      options.log.warn('request not routed', { method: req.method, error });
      if (!res.headersSent) res.writeHead(404).end();
    }
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      serve(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.headersSent || res.writeHead(400).end());
    req.on('end', () => {
      if (res.headersSent) return;
      const rawBody = Buffer.concat(chunks);
      const header = (name: string) => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      const screening = screenSlackRequest({
        rawBody: rawBody.toString('utf8'),
        contentType: header('content-type'),
        signature: header('x-slack-signature'),
        timestamp: header('x-slack-request-timestamp'),
        signingSecret: options.signingSecret,
      });
      if (!screening.ok) {
        options.log.warn('request refused before Bolt', {
          status: screening.status,
          reason: screening.reason,
        });
        res.writeHead(screening.status).end();
        return;
      }
      // Counted only once signed: a client that never finishes its body is not an ack to make way for.
      const end = options.traffic?.begin();
      // `close` comes once the response is sent, or the connection is gone: either way, it is over.
      if (end) res.once('close', end);
      Object.assign(req, { rawBody });
      serve(req, res);
    });
  };
}
