import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { BodyTooLargeError, readRequestBody, startLoopbackHttpServer } from './loopback-http.js';

/** Account id in every parameter ARN the fake hands out. */
export const FAKE_SSM_ACCOUNT_ID = '000000000000';
/** Region in every parameter ARN. */
export const FAKE_SSM_REGION = 'us-east-1';

/** A parameter the fake holds; `type` defaults to `String`. */
export interface FakeSsmParameter {
  value: string;
  type?: 'String' | 'StringList' | 'SecureString';
}

/** One SSM API call as the fake received it. */
export interface RecordedSsmCall {
  /** The operation from `X-Amz-Target: AmazonSSM.<operation>`. */
  operation: string;
  input: Record<string, unknown>;
  /** The error type the fake answered with, e.g. `ParameterNotFound`. */
  error?: string;
}

/** A running fake of SSM Parameter Store; see {@link startFakeSsm}. */
export interface FakeSsm {
  /** `http://127.0.0.1:<port>`, for `new SSMClient({ endpoint })` or `AWS_ENDPOINT_URL_SSM`. */
  readonly endpoint: string;
  readonly calls: readonly RecordedSsmCall[];
  /** Creates or overwrites a parameter; overwriting bumps its `Version`. */
  setParameter(name: string, parameter: FakeSsmParameter): void;
  close(): Promise<void>;
}

interface StoredParameter {
  value: string;
  type: 'String' | 'StringList' | 'SecureString';
  version: number;
  lastModified: number;
}

class SsmApiError extends Error {
  constructor(
    readonly type: 'ParameterNotFound' | 'ValidationException' | 'UnknownOperationException',
    message: string | undefined,
  ) {
    super(message);
    this.name = 'SsmApiError';
  }
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_NAMES_PER_GET_PARAMETERS = 10;

/**
 * Starts a fake of SSM Parameter Store on 127.0.0.1 speaking AWS JSON 1.1 (`X-Amz-Target: AmazonSSM.<Operation>`),
 * the protocol `@aws-sdk/client-ssm` uses, with GetParameter and GetParameters.
 */
export async function startFakeSsm(parameters: Record<string, FakeSsmParameter>): Promise<FakeSsm> {
  const calls: RecordedSsmCall[] = [];
  const store = new Map<string, StoredParameter>();
  const setParameter = (name: string, parameter: FakeSsmParameter): void => {
    store.set(name, {
      value: parameter.value,
      type: parameter.type ?? 'String',
      version: (store.get(name)?.version ?? 0) + 1,
      lastModified: Date.now(),
    });
  };
  for (const [name, parameter] of Object.entries(parameters)) setParameter(name, parameter);

  const describe = (name: string, withDecryption: boolean): Record<string, unknown> | undefined => {
    const parameter = store.get(name);
    if (!parameter) return undefined;
    return {
      Name: name,
      Type: parameter.type,
      Value:
        parameter.type === 'SecureString' && !withDecryption
          ? ciphertextOf(name, parameter)
          : parameter.value,
      Version: parameter.version,
      LastModifiedDate: parameter.lastModified / 1000,
      ARN: `arn:aws:ssm:${FAKE_SSM_REGION}:${FAKE_SSM_ACCOUNT_ID}:parameter/${name.replace(/^\//, '')}`,
      DataType: 'text',
    };
  };

  const operations: Record<string, (input: Record<string, unknown>) => Record<string, unknown>> = {
    GetParameter: (input) => {
      const name = input.Name;
      if (typeof name !== 'string' || name === '') {
        throw new SsmApiError(
          'ValidationException',
          "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
        );
      }
      const parameter = describe(name, input.WithDecryption === true);
      // SSM sends ParameterNotFound without a message; the SDK then reports the message as `UnknownError`.
      if (!parameter) throw new SsmApiError('ParameterNotFound', undefined);
      return { Parameter: parameter };
    },
    GetParameters: (input) => {
      const names = input.Names;
      if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
        throw new SsmApiError(
          'ValidationException',
          "1 validation error detected: Value null at 'names' failed to satisfy constraint: Member must not be null",
        );
      }
      if (names.length > MAX_NAMES_PER_GET_PARAMETERS) {
        throw new SsmApiError(
          'ValidationException',
          `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: ` +
            `Member must have length less than or equal to ${MAX_NAMES_PER_GET_PARAMETERS}`,
        );
      }
      const unique = [...new Set(names as string[])];
      const found = unique.flatMap((name) => describe(name, input.WithDecryption === true) ?? []);
      return { Parameters: found, InvalidParameters: unique.filter((name) => !store.has(name)) };
    },
  };

  const server = await startLoopbackHttpServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'POST' || path !== '/') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    const target = req.headers['x-amz-target'];
    const operationName =
      typeof target === 'string' && target.startsWith('AmazonSSM.') ? target.slice('AmazonSSM.'.length) : '';
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();

    let input: Record<string, unknown>;
    try {
      const text = await readRequestBody(req, MAX_BODY_BYTES);
      const parsed: unknown = text === '' ? {} : JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('body is not a JSON object');
      }
      input = parsed as Record<string, unknown>;
    } catch (error) {
      const message = error instanceof BodyTooLargeError ? error.message : 'Request body is not valid JSON.';
      calls.push({ operation: operationName, input: {}, error: 'SerializationException' });
      sendJson(res, 400, { __type: 'SerializationException', message });
      return;
    }
    const call: RecordedSsmCall = { operation: operationName, input };
    calls.push(call);

    try {
      const operation = operations[operationName];
      if (contentType !== 'application/x-amz-json-1.1' || !operation) {
        throw new SsmApiError(
          'UnknownOperationException',
          `fake SSM implements GetParameter and GetParameters over AWS JSON 1.1, got ` +
            `${String(target)} as ${contentType || 'no content type'}`,
        );
      }
      sendJson(res, 200, operation(input));
    } catch (error) {
      if (!(error instanceof SsmApiError)) throw error;
      call.error = error.type;
      sendJson(
        res,
        400,
        error.message === '' ? { __type: error.type } : { __type: error.type, message: error.message },
      );
    }
  });

  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    calls,
    setParameter,
    close: () => server.close(),
  };
}

/**
 * What SSM returns for a SecureString read without decryption: base64 KMS ciphertext (`AQICAH…`). Deterministic per
 * name, version and value, and not reversible, so a test sees the value was not decrypted without seeing it.
 */
function ciphertextOf(name: string, parameter: StoredParameter): string {
  const digest = createHash('sha256').update(`${name}\0${parameter.version}\0${parameter.value}`).digest();
  return `AQICAH${Buffer.concat([digest, digest, digest]).toString('base64')}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}
