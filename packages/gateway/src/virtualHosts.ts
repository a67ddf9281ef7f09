/** `<iid>` for `<iid>.<domain>[:port]`, '' for the bare domain, undefined otherwise. */
export function instanceOfHost(
  host: string | undefined,
  domain: string,
): string | undefined {
  if (!host) return undefined;
  let h = host.toLowerCase();
  const colon = h.lastIndexOf(':');
  if (colon > 0 && !h.endsWith(']')) h = h.slice(0, colon);
  if (h === domain) return '';
  if (!h.endsWith(`.${domain}`)) return undefined;
  const label = h.slice(0, h.length - domain.length - 1);
  return label.length > 0 && !label.includes('.') ? label : undefined;
}
