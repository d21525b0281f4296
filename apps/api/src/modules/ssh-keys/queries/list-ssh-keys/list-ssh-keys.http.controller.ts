import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { SshKeyListDto } from '../../shared/ssh-key.dto';
import { ListSshKeysQuery } from './list-ssh-keys.query';

@ApiTags('ssh-keys')
@Controller('organizations/:orgId/ssh-keys')
export class ListSshKeysHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "List the organization's SSH keys" })
  @RequirePermission('ssh_keys_view')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: SshKeyListDto })
  list(
    @Param('orgId') _orgId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<SshKeyListDto> {
    return this.queryBus.execute(new ListSshKeysQuery(membership.organizationId));
  }
}
