import { randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { parseSshPublicKey, sshKeysDecider, streams, type SshKeyAdded } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { sshKeyFingerprint } from '../../shared/ssh-key-fingerprint';
import { AddSshKeyCommand, type AddSshKeyResult } from './add-ssh-key.command';

/** The decider parses and checks the key and refuses duplicates; the fingerprint (a hash) is computed here. */
@CommandHandler(AddSshKeyCommand)
export class AddSshKeyHandler implements ICommandHandler<AddSshKeyCommand, AddSshKeyResult> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: AddSshKeyCommand): Promise<AddSshKeyResult> {
    const { organizationId } = command;
    const fingerprint = sshKeyFingerprint(parseSshPublicKey(command.publicKey).blob);
    const keyId = randomUUID();
    // The instant the event records (the read model's createdAt).
    let addedAt = '';
    const result = await this.executor.execute({
      streamId: streams.sshKeys(organizationId),
      decider: sshKeysDecider,
      context: command.context,
      command: (_state, metadata) => {
        addedAt = metadata.now;
        return {
          type: 'AddSshKey' as const,
          data: { organizationId, keyId, name: command.name, publicKey: command.publicKey, fingerprint },
          metadata,
        };
      },
    });
    const added = result.events.find(
      (event): event is SshKeyAdded & { id: string } => event.type === 'SshKeyAdded',
    );
    if (!added) throw new Error(`ssh key ${keyId} was not recorded`);
    const { data } = added;
    return {
      key: {
        id: data.keyId,
        name: data.name,
        algorithm: data.algorithm,
        bits: data.bits,
        fingerprint: data.fingerprint,
        publicKey: data.publicKey,
        createdAt: addedAt,
      },
      position: result.position,
    };
  }
}
