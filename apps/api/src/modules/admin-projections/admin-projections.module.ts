import { Module } from '@nestjs/common';
import { RebuildProjectionHandler } from './commands/rebuild-projection/rebuild-projection.handler';
import { RebuildProjectionHttpController } from './commands/rebuild-projection/rebuild-projection.http.controller';
import { GetProjectionHandler } from './queries/get-projection/get-projection.handler';
import { GetProjectionHttpController } from './queries/get-projection/get-projection.http.controller';
import { ListProjectionsHandler } from './queries/list-projections/list-projections.handler';
import { ListProjectionsHttpController } from './queries/list-projections/list-projections.http.controller';
import { ProjectionOverview } from './shared/projection-overview.service';
import { ProjectionRebuilds } from './shared/projection-rebuilds.service';

/** Admin operations (platform role admin): see the README's "Admin operations". */
@Module({
  controllers: [ListProjectionsHttpController, GetProjectionHttpController, RebuildProjectionHttpController],
  providers: [
    ProjectionOverview,
    ProjectionRebuilds,
    ListProjectionsHandler,
    GetProjectionHandler,
    RebuildProjectionHandler,
  ],
})
export class AdminProjectionsModule {}
