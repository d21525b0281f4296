import { Inject, Injectable } from '@nestjs/common';
import { projectionRebuildDecider, streams } from '@stratus/domain';
import { type EventStore, CommandExecutor } from '@stratus/eventstore';
import {
  isRebuildRunning,
  projectionStatuses,
  rebuildProgress,
  type ProjectionsOrm,
} from '@stratus/projections';
import { EVENT_STORE } from '../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import { projectionView, type ProjectionViewDto } from './projection-view';

/** What the admin pages show of the projections: the runners' checkpoints joined with the operator streams. */
@Injectable()
export class ProjectionOverview {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly executor: CommandExecutor,
  ) {}

  /** Every projection, or only `name`. */
  async list(name?: string): Promise<ProjectionViewDto[]> {
    const [statuses, progress] = await Promise.all([
      projectionStatuses(this.orm, this.eventStore),
      rebuildProgress(this.orm, this.eventStore),
    ]);
    const wanted = statuses.filter((status) => name === undefined || status.name === name);
    // Operator streams are a handful of events each: read them directly (no projection of the audit itself).
    return Promise.all(
      wanted.map(async (status) => {
        const { state } = await this.executor.load(streams.projection(status.name), projectionRebuildDecider);
        const shadow = progress.find((p) => p.projection === status.name);
        // The lock, not the shadow, says whether it runs: the shadow is made after the request is recorded.
        const lockHeld =
          shadow?.running ??
          (state.status === 'rebuilding' && (await isRebuildRunning(this.orm, status.name)));
        return projectionView(status, state, shadow, lockHeld);
      }),
    );
  }
}
