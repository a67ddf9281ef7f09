import { InputError } from '@backstage/errors';
import type { z } from 'zod';

/** Validates input with zod; every issue becomes part of one InputError naming its field. */
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
