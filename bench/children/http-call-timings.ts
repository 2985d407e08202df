// Times the handler's outgoing HTTP calls from inside its process through Node's built-in
// diagnostics channels (https://nodejs.org/docs/latest-v20.x/api/diagnostics_channel.html#built-in-channels):
// the AWS SDK goes through node:http, Slack's WebClient 8 through the global fetch (undici, whose
// `undici:request:*` channels are documented at https://undici.nodejs.org/#/docs/api/DiagnosticsChannel).

import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { HttpCall } from './child-protocol.js';

/** The part of undici's request object the channels carry that is read here. */
interface UndiciRequest {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
}

/** What happened between two `take()`s. */
export interface HttpActivity {
  readonly calls: HttpCall[];
  /** TCP connections opened (a reused keep-alive connection opens none). */
  readonly newConnections: number;
}

/** Collects the HTTP calls answered and the connections opened between two `take()`s. */
export class HttpCallTimings {
  readonly #started = new WeakMap<object, number>();
  #calls: HttpCall[] = [];
  #newConnections = 0;
  readonly #listeners: Array<[string, (message: unknown) => void]>;

  constructor() {
    const begin = (request: object) => this.#started.set(request, performance.now());
    const end = (request: object, operation: () => string) => {
      const started = this.#started.get(request);
      if (started !== undefined)
        this.#calls.push({ operation: operation(), ms: performance.now() - started });
    };
    this.#listeners = [
      // node:http: from the ClientRequest's creation to its response headers.
      ['http.client.request.start', (message) => begin((message as { request: ClientRequest }).request)],
      [
        'http.client.response.finish',
        (message) => {
          const { request } = message as { request: ClientRequest };
          end(request, () => nodeHttpOperation(request));
        },
      ],
      // fetch (undici): from the request's creation to its response headers.
      ['undici:request:create', (message) => begin((message as { request: UndiciRequest }).request)],
      [
        'undici:request:headers',
        (message) => {
          const { request } = message as { request: UndiciRequest };
          end(request, () => pathOperation(request.method, request.origin, request.path));
        },
      ],
      [
        'net.client.socket',
        () => {
          this.#newConnections += 1;
        },
      ],
    ];
  }

  start(): void {
    for (const [channel, listener] of this.#listeners) subscribe(channel, listener);
  }

  stop(): void {
    for (const [channel, listener] of this.#listeners) unsubscribe(channel, listener);
  }

  /** The calls answered and connections opened since the last take. */
  take(): HttpActivity {
    const activity = { calls: this.#calls, newConnections: this.#newConnections };
    this.#calls = [];
    this.#newConnections = 0;
    return activity;
  }
}

/** `DynamoDB PutItem` / `SQS SendMessage` from the AWS JSON target header. */
function nodeHttpOperation(request: ClientRequest): string {
  const target = request.getHeader('x-amz-target');
  if (typeof target === 'string') {
    const [service = '', operation = ''] = target.split('.');
    return `${service.startsWith('DynamoDB') ? 'DynamoDB' : service.replace(/^Amazon/, '')} ${operation}`;
  }
  return pathOperation(request.method, `${request.protocol}//${request.host}`, request.path);
}

/** `Slack chat.postMessage` for a Web API path, else the method and URL. */
function pathOperation(method: string, origin: string, path: string): string {
  if (path.startsWith('/api/')) return `Slack ${path.slice('/api/'.length).split('?')[0]}`;
  return `${method} ${origin}${path}`;
}
