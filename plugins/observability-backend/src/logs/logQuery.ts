import { InputError } from '@backstage/errors';

/**
 * The Loki labels the Flagstage log shipping (Alloy) sets on challenge and
 * workflow pod logs: `namespace` as Kubernetes names it, and the Flagstage
 * pod labels `flagstage.io/instance|team|challenge` mapped to plain names.
 *
 * @public
 */
export const LOKI_LABELS = {
  namespace: 'namespace',
  // Alloy (observability/alloy/config.alloy) maps the pods' flagstage.io/*
  // labels to these stream labels.
  instance: 'flagstage_instance',
  team: 'flagstage_team',
  challenge: 'flagstage_challenge',
} as const;

/** What a log search filters on; every field is validated before use. @public */
export type LogFilter = {
  /** A team id (a Kubernetes label value). */
  team?: string;
  /** A challenge name (a Kubernetes label value). */
  challenge?: string;
  /** A Kubernetes namespace (DNS-1123 label). */
  namespace?: string;
  /** An instance id (DNS-1123, so that `start-<id>` still is one). */
  instance?: string;
  /** Text the line must contain (literal, case-sensitive). */
  contains?: string;
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// A Kubernetes label value: the Flagstage labels hold team ids and challenge names.
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// Control characters have no place in a search string (and a raw newline is
// not valid inside a LogQL string literal).
const hasControl = (value: string) =>
  [...value].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
const MAX_CONTAINS = 256;

/** Whether `value` is a DNS-1123 label (a namespace name). @public */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * Checks an instance id: `fs-<id>` and `start-<id>` must be DNS-1123 labels.
 * Throws InputError otherwise.
 *
 * @public
 */
export function checkInstanceId(id: string): string {
  if (!isDns1123Label(`start-${id}`))
    throw new InputError(
      'instance must be lowercase letters, digits and "-", at most 57 characters',
    );
  return id;
}

function checkLabelValue(name: string, value: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value))
    throw new InputError(
      `${name} must be a Kubernetes label value: letters, digits, "-", "_", "." (at most 63 characters)`,
    );
  return value;
}

/**
 * Escapes text for a double-quoted LogQL string literal (Go string syntax):
 * backslash and double quote. Control characters are refused before this.
 *
 * @public
 */
export function escapeLogQLString(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/**
 * Builds the LogQL of a search from validated inputs only: label matchers in
 * a fixed order, values escaped as string literals, `contains` as a literal
 * `|=` line filter. User text is never pasted into the query. Throws
 * InputError for an invalid field or when no label filter is given (a LogQL
 * stream selector needs at least one matcher, and a search of every log is
 * never what an operator wants).
 *
 * @public
 */
export function buildLogQuery(filter: LogFilter): string {
  const matchers: string[] = [];
  const add = (label: string, value: string) =>
    matchers.push(`${label}="${escapeLogQLString(value)}"`);
  if (filter.namespace !== undefined) {
    if (!isDns1123Label(filter.namespace))
      throw new InputError(
        'namespace must be a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters',
      );
    add(LOKI_LABELS.namespace, filter.namespace);
  }
  if (filter.instance !== undefined)
    add(LOKI_LABELS.instance, checkInstanceId(filter.instance));
  if (filter.team !== undefined)
    add(LOKI_LABELS.team, checkLabelValue('team', filter.team));
  if (filter.challenge !== undefined)
    add(LOKI_LABELS.challenge, checkLabelValue('challenge', filter.challenge));
  if (matchers.length === 0)
    throw new InputError(
      'give at least one of team, challenge, namespace or instance',
    );
  let query = `{${matchers.join(', ')}}`;
  if (filter.contains !== undefined && filter.contains !== '') {
    if (filter.contains.length > MAX_CONTAINS || hasControl(filter.contains))
      throw new InputError(
        `contains must be at most ${MAX_CONTAINS} characters without control characters`,
      );
    query += ` |= "${escapeLogQLString(filter.contains)}"`;
  }
  return query;
}
