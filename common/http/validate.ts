import type { z } from 'zod';
import { AppError, type FieldError } from '../errors';

export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(body)', message: issue.message }));
}

/** Parses client input; a mismatch becomes a 400 problem listing every field, and nothing downstream runs. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', `The ${what} is invalid.`, { fieldErrors: fieldErrorsOf(result.error) });
  }
  return result.data;
}
