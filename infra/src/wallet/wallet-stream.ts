import { streams, STRATUS_ID_NAMESPACE, walletDecider, WALLET_STREAM_POLICY } from '@stratus/domain';
import type { CommandContext, CommandExecutor } from '@stratus/eventstore';
import { v5 as uuidv5 } from 'uuid';

/** One wallet per organization, so its id is derived from the organization's: opening twice records nothing. */
export function walletIdOf(organizationId: string): string {
  return uuidv5(`wallet:${organizationId}`, STRATUS_ID_NAMESPACE);
}

export function openWallet(executor: CommandExecutor, organizationId: string, context: CommandContext) {
  return executor.execute({
    streamId: streams.wallet(organizationId),
    decider: walletDecider,
    context,
    policy: WALLET_STREAM_POLICY,
    command: (_state, metadata) => ({
      type: 'OpenWallet' as const,
      data: { walletId: walletIdOf(organizationId), organizationId },
      metadata,
    }),
  });
}
