import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { AdminOrganizationDetailDto } from '../../shared/directory.dto';
import { GetOrganizationDetailQuery } from './get-organization-detail.query';

@ApiTags('admin')
@Controller('admin/organizations/:orgId')
export class GetOrganizationDetailHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "Get an organization's details" })
  @RequirePlatformAdmin()
  @ApiParam({ name: 'orgId', format: 'uuid' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: AdminOrganizationDetailDto })
  @ApiErrorResponses({ 404: 'organization_not_found' })
  async get(@Param('orgId') orgId: string): Promise<AdminOrganizationDetailDto> {
    const organization = isUuid(orgId)
      ? await this.queryBus.execute(new GetOrganizationDetailQuery(orgId.toLowerCase()))
      : null;
    if (!organization) throw new ApiError(404, 'organization_not_found', 'Organization not found');
    return organization;
  }
}
