import { Module } from '@nestjs/common';
import { AddSshKeyHandler } from './commands/add-ssh-key/add-ssh-key.handler';
import { AddSshKeyHttpController } from './commands/add-ssh-key/add-ssh-key.http.controller';
import { DeleteSshKeyHandler } from './commands/delete-ssh-key/delete-ssh-key.handler';
import { DeleteSshKeyHttpController } from './commands/delete-ssh-key/delete-ssh-key.http.controller';
import { ListSshKeysHandler } from './queries/list-ssh-keys/list-ssh-keys.handler';
import { ListSshKeysHttpController } from './queries/list-ssh-keys/list-ssh-keys.http.controller';

/** An organization's SSH public keys (stream sshkeys-<orgId>): servers are created with the ones chosen. */
@Module({
  controllers: [ListSshKeysHttpController, AddSshKeyHttpController, DeleteSshKeyHttpController],
  providers: [ListSshKeysHandler, AddSshKeyHandler, DeleteSshKeyHandler],
})
export class SshKeysModule {}
