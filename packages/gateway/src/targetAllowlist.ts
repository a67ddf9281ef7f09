import net from 'node:net';

/**
 * Where a token may send the gateway: CIDRs, DNS name patterns and loopback
 * port ranges. Any target outside them is refused after the token is
 * verified and before anything connects, so a minted (or forged with a
 * leaked key) token cannot aim the gateway at the backend, a database or
 * another internal service.
 */
export type AllowedTargets = {
  /** IPv4/IPv6 networks, e.g. `10.42.0.0/16` (a pod network). */
  cidrs: string[];
  /**
   * Host name patterns. A leading `.` matches any name ending with the rest
   * (`.fs-*.svc.cluster.local`); `*` matches within one DNS label.
   */
  hosts: string[];
  /** Inclusive port ranges allowed on 127.0.0.1, ::1 and localhost (the local driver). */
  loopbackPorts: Array<[number, number]>;
};

const LOOPBACK_NAMES = new Set(['127.0.0.1', '::1', 'localhost']);

/** Parses `a.b.c.d/n` or `x::/n`; throws with `name` on a malformed entry. */
export function parseCidr(
  cidr: string,
  name: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address, bits] = cidr.split('/');
  const version = net.isIP(address);
  const prefix = Number(bits);
  const max = version === 6 ? 128 : 32;
  if (!version || !Number.isInteger(prefix) || prefix < 0 || prefix > max)
    throw new Error(`${name}: "${cidr}" is not a CIDR (address/prefix)`);
  return { address, prefix, family: version === 6 ? 'ipv6' : 'ipv4' };
}

function hostPattern(pattern: string): RegExp {
  const suffix = pattern.startsWith('.');
  const body = pattern
    .toLowerCase()
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[a-z0-9-]*');
  return new RegExp(suffix ? `^[a-z0-9.-]+${body}$` : `^${body}$`);
}

/** Decides whether a token's `host:port` target may be connected to. */
export class TargetAllowlist {
  private readonly networks = new net.BlockList();
  private readonly patterns: RegExp[];

  constructor(private readonly allowed: AllowedTargets) {
    for (const cidr of allowed.cidrs) {
      const { address, prefix, family } = parseCidr(cidr, 'allowed CIDRs');
      this.networks.addSubnet(address, prefix, family);
    }
    this.patterns = allowed.hosts.map(hostPattern);
  }

  allows(target: string): boolean {
    const colon = target.lastIndexOf(':');
    let host = target.slice(0, colon).toLowerCase();
    if (host.startsWith('[')) host = host.slice(1, -1);
    const port = Number(target.slice(colon + 1));
    if (LOOPBACK_NAMES.has(host))
      return this.allowed.loopbackPorts.some(
        ([from, to]) => port >= from && port <= to,
      );
    const version = net.isIP(host);
    if (version)
      return this.networks.check(host, version === 6 ? 'ipv6' : 'ipv4');
    return this.patterns.some(p => p.test(host));
  }
}
