import { KubeSimulatorError } from '../KubeSimulatorError';

/** One `path=value` (or `path!=value`) term of a field selector. */
export type FieldRequirement = { path: string; value: string; negate: boolean };

const SUPPORTED_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'status.phase',
];

/**
 * The field selectors the simulator understands: `metadata.name`,
 * `metadata.namespace`, `status.phase` with `=`, `==` or `!=`, joined by
 * commas. Anything else is a 400, as on a real server for an unsupported
 * field label.
 */
export function parseFieldSelector(
  selector: string | undefined,
): FieldRequirement[] {
  if (!selector) return [];
  return selector
    .split(',')
    .map(p => p.trim())
    .filter(Boolean)
    .map(part => {
      const m = part.match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/);
      if (!m)
        throw new KubeSimulatorError(
          400,
          'BadRequest',
          `invalid field selector: "${part}"`,
        );
      if (!SUPPORTED_FIELDS.includes(m[1]))
        throw new KubeSimulatorError(
          400,
          'BadRequest',
          `field label not supported: ${m[1]}`,
        );
      return { path: m[1], value: m[3].trim(), negate: m[2] === '!=' };
    });
}

/** Whether an object satisfies every requirement. */
export function matchesFields(obj: any, fields: FieldRequirement[]): boolean {
  return fields.every(f => {
    const actual = f.path
      .split('.')
      .reduce((o: any, k) => (o === undefined ? undefined : o[k]), obj);
    const equal = String(actual ?? '') === f.value;
    return f.negate ? !equal : equal;
  });
}
