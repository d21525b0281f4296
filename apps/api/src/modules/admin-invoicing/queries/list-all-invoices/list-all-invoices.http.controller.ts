import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { pageSize, PageRequestDto } from '../../../../shared/http/page-request.dto';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { InvoicesPageResponseDto } from '../../../invoices/shared/invoice.dto';
import { decodeInvoiceCursor, type InvoicesPage } from '../../../invoices/shared/invoices-read-model';
import { ListAllInvoicesQuery } from './list-all-invoices.query';

export class ListAllInvoicesRequestDto extends PageRequestDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'organizationId must be a uuid' })
  organizationId?: string;
}

@ApiTags('admin')
@Controller('admin/invoices')
export class ListAllInvoicesHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List invoices and credit notes of every organization' })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: InvoicesPageResponseDto })
  list(@QueryParams() params: ListAllInvoicesRequestDto): Promise<InvoicesPage> {
    return this.queryBus.execute(
      new ListAllInvoicesQuery(
        params.organizationId?.toLowerCase() ?? null,
        pageSize(params),
        params.cursor !== undefined ? decodeInvoiceCursor(params.cursor) : null,
      ),
    );
  }
}
