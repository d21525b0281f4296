import type { Position, CommandExecutor } from '@stratus/eventstore';
import {
  organizationDecider,
  streams,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationState,
} from '@stratus/domain';
import type { CommandContext } from '../../../shared/request-context/command-context';

type Data<T extends OrganizationCommand['type']> = Extract<OrganizationCommand, { type: T }>['data'];

/** Load the organization, decide one command on it (as far as the request's credential reaches), append. */
export async function runOrganizationCommand<T extends OrganizationCommand['type']>(
  executor: CommandExecutor,
  organizationId: string,
  context: CommandContext,
  type: T,
  data: Data<T>,
): Promise<{
  state: OrganizationState;
  events: OrganizationEvent[];
  position: Position | null;
  changed: boolean;
}> {
  const result = await executor.execute({
    streamId: streams.organization(organizationId),
    decider: organizationDecider,
    context,
    command: (_state, metadata) =>
      ({
        type,
        data,
        metadata: context.scopes ? { ...metadata, scopes: context.scopes } : metadata,
      }) as unknown as OrganizationCommand,
  });
  return {
    state: result.state,
    events: result.events,
    position: result.position,
    changed: result.events.length > 0,
  };
}
