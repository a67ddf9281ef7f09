import { z } from 'zod';
import { InputError } from '@backstage/errors';

/** Parses a body or query with a zod schema; an InputError names every bad field. */
export function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success)
    throw new InputError(
      r.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; '),
    );
  return r.data;
}
