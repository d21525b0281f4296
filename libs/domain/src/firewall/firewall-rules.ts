import { DomainError } from '../shared/decider';

/**
 * Inbound firewall rules of a server, in Stratus's terms (the provider's Cloud Firewall carries them): a default
 * policy for inbound traffic and the rules that are its exceptions. A rule ACCEPTs what it matches when the
 * default is DROP and DROPs it when the default is ACCEPT, so a rule never restates the default. Outbound traffic
 * is always accepted.
 */
export const FIREWALL_POLICIES = ['ACCEPT', 'DROP'] as const;
export type FirewallPolicy = (typeof FIREWALL_POLICIES)[number];
export const FIREWALL_PROTOCOLS = ['TCP', 'UDP', 'ICMP'] as const;
export type FirewallProtocol = (typeof FIREWALL_PROTOCOLS)[number];

export interface FirewallRule {
  protocol: FirewallProtocol;
  /** "22", "80,443", "8000-8100" (TCP and UDP; null: every port); always null for ICMP. */
  ports: string | null;
  /** IPv4 or IPv6 networks in CIDR notation ("203.0.113.0/24", "::/0"); a bare address is its /32 or /128. */
  addresses: string[];
}

export interface FirewallRules {
  defaultInbound: FirewallPolicy;
  inbound: FirewallRule[];
}

/** Linode's limits: 25 rules per direction, 255 addresses across a rule set, 15 port pieces per rule. */
export const MAX_FIREWALL_RULES = 25;
export const MAX_FIREWALL_ADDRESSES = 255;
export const MAX_FIREWALL_PORT_PIECES = 15;

function invalidRule(field: string, message: string): DomainError {
  return new DomainError('validation', 'invalid_firewall_rules', message, { field });
}

/** "22", "80,443", "8000-8100": ports 1–65535, a range's first port below its last, no repeats; canonical spacing. */
export function requireFirewallPorts(value: unknown, field: string): string {
  if (typeof value !== 'string')
    throw invalidRule(field, `${field} must be a string such as "22,80,8000-8100"`);
  const pieces = value.split(',').map((piece) => piece.trim());
  if (pieces.length > MAX_FIREWALL_PORT_PIECES) {
    throw invalidRule(field, `${field} may name at most ${MAX_FIREWALL_PORT_PIECES} ports or ranges`);
  }
  const seen = new Set<string>();
  for (const piece of pieces) {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(piece);
    const first = match ? Number(match[1]) : NaN;
    const last = match?.[2] !== undefined ? Number(match[2]) : first;
    const valid =
      match !== null &&
      first >= 1 &&
      last <= 65535 &&
      first <= last &&
      (match[2] === undefined || first < last);
    if (!valid) {
      throw invalidRule(
        field,
        `${field}: "${piece}" is not a port (1-65535) or a range of ports such as "8000-8100"`,
      );
    }
    const canonical = match[2] === undefined ? String(first) : `${first}-${last}`;
    if (seen.has(canonical)) throw invalidRule(field, `${field} names ${canonical} twice`);
    seen.add(canonical);
  }
  return [...seen].join(',');
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 4 or 6 for an IPv4 or IPv6 address, 0 otherwise (pure: the domain, bundled into workflows too, has no node:net). */
export function ipFamily(address: string): 0 | 4 | 6 {
  if (IPV4.test(address)) return 4;
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(address)) return 0;
  let text = address;
  let groups = 8;
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    if (!IPV4.test(dotted[1])) return 0;
    text = text.slice(0, -dotted[1].length) + '0';
    groups = 7;
  }
  const halves = text.split('::');
  if (halves.length > 2) return 0;
  const parts = halves.map((half) => (half === '' ? [] : half.split(':')));
  if (!parts.every((list) => list.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group)))) return 0;
  const count = parts.reduce((sum, list) => sum + list.length, 0);
  return (halves.length === 2 ? count < groups : count === groups) ? 6 : 0;
}

/** An IPv4 or IPv6 network in CIDR notation (a bare address is one host); returned as written, prefix added. */
export function requireCidr(value: unknown, field: string): string {
  const fail = () =>
    invalidRule(field, `${field} must be an IPv4 or IPv6 network such as "203.0.113.0/24" or "::/0"`);
  if (typeof value !== 'string') throw fail();
  const [address, prefix, extra] = value.trim().split('/');
  const family = ipFamily(address ?? '');
  if (family === 0 || extra !== undefined) throw fail();
  const max = family === 4 ? 32 : 128;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)) throw fail();
  return `${family === 6 ? address.toLowerCase() : address}/${prefix === undefined ? max : Number(prefix)}`;
}

/** The whole rule set, checked against the provider's limits (no rule may be refused later for its shape). */
export function requireFirewallRules(value: unknown): FirewallRules {
  if (typeof value !== 'object' || value === null)
    throw invalidRule('rules', 'firewall rules must be an object');
  const { defaultInbound, inbound } = value as { defaultInbound?: unknown; inbound?: unknown };
  if (
    typeof defaultInbound !== 'string' ||
    !(FIREWALL_POLICIES as readonly string[]).includes(defaultInbound)
  ) {
    throw invalidRule('defaultInbound', `defaultInbound must be one of ${FIREWALL_POLICIES.join(', ')}`);
  }
  if (!Array.isArray(inbound) || inbound.length > MAX_FIREWALL_RULES) {
    throw invalidRule('inbound', `inbound must be a list of at most ${MAX_FIREWALL_RULES} rules`);
  }
  let addressCount = 0;
  const rules = inbound.map((raw: unknown, index): FirewallRule => {
    const at = `inbound[${index}]`;
    if (typeof raw !== 'object' || raw === null) throw invalidRule(at, `${at} must be a rule object`);
    const rule = raw as { protocol?: unknown; ports?: unknown; addresses?: unknown };
    if (
      typeof rule.protocol !== 'string' ||
      !(FIREWALL_PROTOCOLS as readonly string[]).includes(rule.protocol)
    ) {
      throw invalidRule(`${at}.protocol`, `${at}.protocol must be one of ${FIREWALL_PROTOCOLS.join(', ')}`);
    }
    const protocol = rule.protocol as FirewallProtocol;
    let ports: string | null = null;
    if (rule.ports !== undefined && rule.ports !== null && rule.ports !== '') {
      if (protocol === 'ICMP') throw invalidRule(`${at}.ports`, `${at}: ICMP has no ports`);
      ports = requireFirewallPorts(rule.ports, `${at}.ports`);
    }
    if (!Array.isArray(rule.addresses) || rule.addresses.length === 0) {
      throw invalidRule(
        `${at}.addresses`,
        `${at}.addresses must list at least one network (e.g. "0.0.0.0/0")`,
      );
    }
    const addresses = [
      ...new Set(rule.addresses.map((address, n) => requireCidr(address, `${at}.addresses[${n}]`))),
    ];
    addressCount += addresses.length;
    if (addressCount > MAX_FIREWALL_ADDRESSES) {
      throw invalidRule('inbound', `the rules may name at most ${MAX_FIREWALL_ADDRESSES} networks in all`);
    }
    return { protocol, ports, addresses };
  });
  return { defaultInbound: defaultInbound as FirewallPolicy, inbound: rules };
}

/** What a server has when neither it nor staff set anything: everything accepted, as a Linode without a firewall. */
export const OPEN_FIREWALL: FirewallRules = { defaultInbound: 'ACCEPT', inbound: [] };
