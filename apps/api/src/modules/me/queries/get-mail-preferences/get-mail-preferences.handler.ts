import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { UserEntity, type ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { GetMailPreferencesQuery } from './get-mail-preferences.query';
import { mailPreferencesView, type MailPreferencesDto } from './mail-preferences.dto';

@QueryHandler(GetMailPreferencesQuery)
export class GetMailPreferencesHandler implements IQueryHandler<GetMailPreferencesQuery, MailPreferencesDto> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    private readonly users: UserDirectory,
  ) {}

  async execute({ userId }: GetMailPreferencesQuery): Promise<MailPreferencesDto> {
    const row = await this.orm.em.fork().findOne(UserEntity, { id: userId });
    if (row) return mailPreferencesView(row.mailOptOuts);
    // The token proves the user exists; a missing row is projection lag, so read the user's own stream.
    const state = await this.users.load(userId);
    if (state.status !== 'registered') throw ApiError.unauthorized('The session no longer matches a user');
    return mailPreferencesView(state.mailOptOuts);
  }
}
