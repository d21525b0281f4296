import { Query } from '@nestjs/cqrs';
import type { SshKeyListDto } from '../../shared/ssh-key.dto';

export class ListSshKeysQuery extends Query<SshKeyListDto> {
  constructor(readonly organizationId: string) {
    super();
  }
}
