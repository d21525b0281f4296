import { Query } from '@nestjs/cqrs';
import type { StatementDto } from '../../shared/statement.dto';

/** `period` as the client sent it (`YYYY-MM`); the handler checks it. */
export class GetStatementQuery extends Query<StatementDto> {
  constructor(
    readonly organizationId: string,
    readonly period: string,
  ) {
    super();
  }
}
