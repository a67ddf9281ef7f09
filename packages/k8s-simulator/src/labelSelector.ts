/** One requirement of a Kubernetes label selector. */
type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

/**
 * Parses a label selector as the API server accepts it in `labelSelector`:
 * `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`, joined by
 * commas. Throws on anything else (the server answers 400).
 */
export function parseLabelSelector(
  selector: string | undefined,
): Requirement[] {
  if (!selector) return [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map(p => p.trim())
    .filter(Boolean)
    .map(part => {
      let m = part.match(/^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/);
      if (m)
        return {
          op: m[2] as 'in' | 'notin',
          key: m[1],
          values: m[3].split(',').map(v => v.trim()),
        };
      // A label value: empty, or alphanumerics with - _ . inside.
      m = part.match(/^([^\s!=]+)\s*(==|=|!=)\s*([A-Za-z0-9_.-]*)$/);
      if (m)
        return {
          op: m[2] === '!=' ? ('neq' as const) : ('eq' as const),
          key: m[1],
          value: m[3],
        };
      m = part.match(/^!\s*([^\s!=]+)$/);
      if (m) return { op: 'notexists' as const, key: m[1] };
      m = part.match(/^([^\s!=()]+)$/);
      if (m) return { op: 'exists' as const, key: m[1] };
      throw new Error(`unable to parse requirement: "${part}"`);
    });
}

/** Whether labels satisfy every requirement. */
export function matchesSelector(
  labels: Record<string, string> | undefined,
  requirements: Requirement[],
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'neq':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      default:
        return false;
    }
  });
}
