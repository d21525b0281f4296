import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { StatementDto } from '../../shared/statement.dto';
import { StatementsReadModel } from '../../shared/statements-read-model';
import { GetStatementQuery } from './get-statement.query';

@QueryHandler(GetStatementQuery)
export class GetStatementHandler implements IQueryHandler<GetStatementQuery, StatementDto> {
  constructor(private readonly statements: StatementsReadModel) {}

  execute(query: GetStatementQuery): Promise<StatementDto> {
    return this.statements.statement(query.organizationId, query.period);
  }
}
