/**
 * Field names whose values never reach a log line: passwords, tokens,
 * secrets, flags, authorization headers and cookies (any case, anywhere in
 * the name: `sessionToken`, `x-api-key` is not matched, `set-cookie` is).
 */
export const SECRET_FIELD =
  /pass(word|wd)?|token|secret|flag(?!stage)|authori[sz]ation|cookie|api[-_]?key|private[-_]?key|credential/i;

/** The replacement for a redacted value. @public */
export const REDACTED = '[REDACTED]';

/**
 * A copy of `value` with every secret-named field's value replaced, at any
 * depth (objects and arrays), cycles cut.
 *
 * @public
 */
export function redactFields(
  value: unknown,
  seen = new WeakSet<object>(),
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error)
    return { name: value.name, message: value.message, stack: value.stack };
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map(v => redactFields(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] =
      SECRET_FIELD.test(k) && v !== undefined && v !== null
        ? REDACTED
        : redactFields(v, seen);
  }
  return out;
}
