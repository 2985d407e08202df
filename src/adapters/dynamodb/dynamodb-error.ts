/** True when `error` is an AWS SDK service error with this exception name (e.g. `ConditionalCheckFailedException`). */
export function isDynamoDBError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
