import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProjectionRebuilds } from '../../shared/projection-rebuilds.service';
import { RebuildProjectionCommand, type RebuildProjectionResult } from './rebuild-projection.command';

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<
  RebuildProjectionCommand,
  RebuildProjectionResult
> {
  constructor(private readonly rebuilds: ProjectionRebuilds) {}

  execute(command: RebuildProjectionCommand): Promise<RebuildProjectionResult> {
    return this.rebuilds.start(command.projection, command.reason, command.context);
  }
}
