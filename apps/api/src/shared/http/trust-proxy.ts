import { BlockList, isIP } from 'node:net';

/**
 * TRUST_PROXY as Express's 'trust proxy' takes it: false, true (any peer), or a comma-separated list of
 * addresses, CIDR subnets and `loopback` (the peers whose X-Forwarded-For names the client).
 */
export type TrustProxy = boolean | string;

export function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .join(', ');
}

/** Whether `peer` is a proxy TRUST_PROXY trusts (the same answer Express gives for req.ip). */
export function isTrustedProxy(trust: TrustProxy, peer: string): boolean {
  if (typeof trust === 'boolean') return trust;
  const address = peer.startsWith('::ffff:') && isIP(peer.slice(7)) === 4 ? peer.slice(7) : peer;
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  for (const entry of trust.split(',').map((part) => part.trim())) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [base, bits] = entry.split('/');
    const entryFamily = isIP(base) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(base, entryFamily);
    else list.addSubnet(base, Number(bits), entryFamily);
  }
  return isIP(address) !== 0 && list.check(address, family);
}
