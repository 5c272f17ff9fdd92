/** MongoDB's duplicate-key error (E11000): the signal unique indexes give for idempotency. FerretDB returns the same code. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
