import { Inject, Injectable } from '@nestjs/common';
import { apiKeyDecider, apiKeyStatusAt, parseIpRange, streams } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { BlockList, isIP } from 'node:net';
import { CLOCK, type Clock } from '../event-sourcing/tokens';
import { ApiError } from '../errors/api-error';
import { UserDirectory } from '../users/user-directory.service';
import { apiKeyIdOf, apiKeySecretMatches, parseApiKey } from './api-key-format';
import { ApiKeyUsage } from './api-key-usage.service';
import type { AuthenticatedUser } from './authenticated-user';

/** Whether `address` (req.ip: the client's, through TRUST_PROXY) lies in one of `ranges` (CIDR). */
export function addressInRanges(address: string | undefined, ranges: readonly string[]): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(plain);
  if (family === 0) return false;
  const list = new BlockList();
  for (const text of ranges) {
    const range = parseIpRange(text);
    if (range) list.addSubnet(range.address, range.prefixLength, range.family);
  }
  return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Authenticates `Authorization: Bearer stx_…`: folds the key's own stream (two events at most), so a revocation
 * counts on the next request on every API instance, with no read model to wait for. What the key may do is decided
 * later, per organization route, by the organization guard (its scopes ∩ its owner's current permissions).
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
    private readonly usage: ApiKeyUsage,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(presented: string, clientAddress: string | undefined): Promise<AuthenticatedUser> {
    const parsed = parseApiKey(presented);
    if (!parsed) throw ApiError.unauthorized('This API key is not valid');
    const keyId = apiKeyIdOf(parsed.prefix);
    const { state } = await this.executor.load(streams.apiKey(keyId), apiKeyDecider);
    if (state.status === 'none' || !apiKeySecretMatches(parsed.secret, state.secretHash)) {
      throw ApiError.unauthorized('This API key is not valid');
    }
    const now = this.clock.now();
    const status = apiKeyStatusAt(state, now.toISOString());
    if (status === 'revoked') throw ApiError.unauthorized('This API key was revoked', 'api_key_revoked');
    if (status === 'expired') throw ApiError.unauthorized('This API key has expired', 'api_key_expired');
    if (state.status !== 'active') throw ApiError.unauthorized('This API key is not valid');
    if (state.allowedIps.length > 0 && !addressInRanges(clientAddress, state.allowedIps)) {
      throw new ApiError(
        403,
        'api_key_address_not_allowed',
        'This API key is not allowed from this address',
        { address: clientAddress ?? null },
      );
    }
    const owner = await this.users.load(state.userId);
    if (owner.status !== 'registered') throw ApiError.unauthorized('This API key is not valid');
    await this.usage.record(keyId, now);
    return {
      userId: state.userId,
      email: owner.email,
      // A key acts as a customer whoever owns it: staff powers are never reachable with a key.
      platformRole: 'customer',
      sessionId: null,
      impersonatorId: null,
      apiKey: { keyId, organizationId: state.organizationId, permissions: state.permissions },
    };
  }
}
