import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/**
 * Validates a request body, query or params with zod. Every issue becomes
 * part of one `InputError` naming its field (`what` names the whole input
 * when an issue has no path), so a client sees all its mistakes at once.
 */
export function parseInput<T>(
  schema: z.ZodType<T>,
  input: unknown,
  what = 'body',
): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(i => `${i.path.join('.') || what}: ${i.message}`)
        .join('; '),
    );
  }
  return result.data;
}
