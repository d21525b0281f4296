import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { MAX_SSH_KEYS_PER_ORGANIZATION } from '@stratus/domain';
import { SshKeyEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { sshKeyView, type SshKeyListDto } from '../../shared/ssh-key.dto';
import { ListSshKeysQuery } from './list-ssh-keys.query';

@QueryHandler(ListSshKeysQuery)
export class ListSshKeysHandler implements IQueryHandler<ListSshKeysQuery, SshKeyListDto> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListSshKeysQuery): Promise<SshKeyListDto> {
    // An organization has at most MAX_SSH_KEYS_PER_ORGANIZATION keys (the decider's rule): one page holds them all.
    const rows = await this.orm.em
      .fork()
      .find(
        SshKeyEntity,
        { organizationId: query.organizationId },
        { orderBy: { createdAt: 'asc', keyId: 'asc' }, limit: MAX_SSH_KEYS_PER_ORGANIZATION },
      );
    return { items: rows.map(sshKeyView) };
  }
}
