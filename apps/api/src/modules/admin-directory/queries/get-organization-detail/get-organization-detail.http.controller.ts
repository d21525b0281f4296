import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { ApiError } from '../../../../shared/errors/api-error';
import { ErrorResponseDto } from '../../../../shared/http/error-response.dto';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { AdminOrganizationDetailDto } from '../../shared/directory.dto';
import { GetOrganizationDetailQuery } from './get-organization-detail.query';

@ApiTags('admin')
@Controller('admin/organizations/:orgId')
export class GetOrganizationDetailHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePlatformAdmin()
  @ApiParam({ name: 'orgId', format: 'uuid' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: AdminOrganizationDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'organization_not_found' })
  async get(@Param('orgId') orgId: string): Promise<AdminOrganizationDetailDto> {
    const organization = isUuid(orgId)
      ? await this.queryBus.execute(new GetOrganizationDetailQuery(orgId.toLowerCase()))
      : null;
    if (!organization) throw new ApiError(404, 'organization_not_found', 'Organization not found');
    return organization;
  }
}
