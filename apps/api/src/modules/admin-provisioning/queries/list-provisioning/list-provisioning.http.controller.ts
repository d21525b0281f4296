import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { ListProvisioningQuery, type ProvisioningWorkflowsPage } from './list-provisioning.query';
import {
  DEFAULT_PAGE_SIZE,
  ListProvisioningRequestDto,
  ProvisioningWorkflowsResponseDto,
} from './list-provisioning.request.dto';

@ApiTags('admin')
@Controller('admin/provisioning')
export class ListProvisioningHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePlatformAdmin()
  @ApiOperation({
    summary: 'List provisioning workflows',
    description: 'Provisioning workflows from Temporal visibility, newest first, with Web UI links',
  })
  @ApiOkResponse({ type: ProvisioningWorkflowsResponseDto })
  @ApiErrorResponses({ 503: 'Temporal could not be reached' })
  async list(@QueryParams() params: ListProvisioningRequestDto): Promise<ProvisioningWorkflowsPage> {
    return this.queryBus.execute(
      new ListProvisioningQuery({
        state: params.state ?? null,
        organizationId: params.organizationId?.toLowerCase() ?? null,
        limit: params.limit ? Number(params.limit) : DEFAULT_PAGE_SIZE,
        pageToken: params.pageToken ?? null,
      }),
    );
  }
}
