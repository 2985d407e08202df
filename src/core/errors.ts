/** Base class of every error this app raises on purpose. */
export class ArchitectError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Why a model call failed, in the terms the user-facing message needs. */
export type ModelFailureKind =
  /** 529 / `overloaded_error`, before or during the stream. */
  | 'overloaded'
  /** 429 after the SDK's retries. */
  | 'rate_limited'
  /** The client timeout elapsed or the connection dropped. */
  | 'timeout'
  /** 5xx or a connection error after retries. */
  | 'unavailable'
  /** 400/401/403/404/413: our request or our credentials are wrong; retrying will not help. */
  | 'rejected';

export class ModelError extends ArchitectError {
  readonly kind: ModelFailureKind;
  /** True when part of the answer had already streamed before the failure. */
  readonly midStream: boolean;

  constructor(kind: ModelFailureKind, message: string, options?: ErrorOptions & { midStream?: boolean }) {
    super(message, options);
    this.kind = kind;
    this.midStream = options?.midStream ?? false;
  }
}

/** DynamoDB could not be read or written. */
export class StoreError extends ArchitectError {}

/** An item read back from the store did not have the expected shape. */
export class CorruptRecordError extends StoreError {}

/** An accepted job could not be handed to whatever answers it (the queue refused it). */
export class HandOffError extends ArchitectError {}
