import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parseInput } from './parseInput';

describe('parseInput', () => {
  const schema = z.object({ name: z.string().min(1), size: z.number().int() });

  it('returns the parsed value', () => {
    expect(parseInput(schema, { name: 'a', size: 2 })).toEqual({
      name: 'a',
      size: 2,
    });
  });

  it('names every bad field in one InputError', () => {
    let error: unknown;
    try {
      parseInput(schema, { name: '', size: 1.5 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^name: .*; size: /);
  });

  it('names the whole input when the issue has no path', () => {
    expect(() => parseInput(schema, 'nope', 'query')).toThrow(/^query: /);
    expect(() => parseInput(schema, null)).toThrow(/^body: /);
  });
});
