import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  DomainError,
  holdsOperations,
  isVpsOperationKind,
  streams,
  vpsDecider,
  type RequestBackups,
  type RequestRebuild,
  type RequestRename,
  type RequestResize,
  type RequestReverseDns,
  type VpsCommand,
  type VpsOperation,
  type VpsOperationKind,
} from '@stratus/domain';
import { CommandExecutor, type Position } from '@stratus/eventstore';
import { vpsOperationWorkflowId } from '@stratus/workflows';
import type { CommandContext } from '../../../shared/request-context/command-context';
import { TemporalWorkflows } from '../../../shared/temporal/temporal-workflows.service';
import { requireOrganizationVps, vpsIdFrom } from './vps-stream';

type WithoutIds<C extends { type: string; data: object }> = C extends unknown
  ? { type: C['type']; data: Omit<C['data'], 'operationId' | 'workflowId'> }
  : never;

/** The customer commands that start an operation, without the ids the starter gives them. */
export type OperationRequest = WithoutIds<
  RequestRename | RequestReverseDns | RequestRebuild | RequestResize | RequestBackups
>;

const KIND_OF: Record<OperationRequest['type'], VpsOperationKind> = {
  RequestRename: 'rename',
  RequestReverseDns: 'reverse_dns',
  // ---- rebuild, resize, backups (issue 15) ----
  RequestRebuild: 'rebuild',
  RequestResize: 'resize',
  RequestBackups: 'backups',
};

export interface StartedOperation {
  operation: VpsOperation;
  position: Position | null;
}

/**
 * Every operation on a server starts here: its request is decided on the server's stream (an active server of the
 * organization, one operation at a time), then its workflow is started. The same request while it runs records
 * nothing and starts the same workflow again (a retry after a 503 resumes it). A request refused because another
 * operation runs starts that one's workflow first (in case a 503 left it unstarted), then answers the 409.
 */
@Injectable()
export class VpsOperationStarter {
  private readonly logger = new Logger('VpsOperations');

  constructor(
    private readonly executor: CommandExecutor,
    private readonly workflows: TemporalWorkflows,
  ) {}

  async start(
    organizationId: string,
    rawVpsId: string,
    request: OperationRequest,
    context: CommandContext,
  ): Promise<StartedOperation> {
    const vpsId = vpsIdFrom(rawVpsId);
    const operationId = randomUUID();
    const workflowId = vpsOperationWorkflowId(KIND_OF[request.type], operationId);
    let result;
    try {
      result = await this.executor.execute({
        streamId: streams.vps(vpsId),
        decider: vpsDecider,
        context,
        command: (state, metadata) => {
          requireOrganizationVps(state, organizationId);
          const data = { ...request.data, operationId, workflowId };
          return { type: request.type, data, metadata } as VpsCommand;
        },
      });
    } catch (error) {
      if (error instanceof DomainError && error.reason === 'operation_in_progress') {
        await this.resume(organizationId, vpsId, error.details);
      }
      throw error;
    }
    const server = result.state;
    if (!holdsOperations(server) || server.operation === null) {
      throw new Error(`operation on ${vpsId} decided but not in progress`);
    }
    const operation = server.operation;
    await this.workflows.startVpsOperation(operation.kind, {
      vpsId,
      organizationId,
      operationId: operation.operationId,
    });
    return { operation, position: result.position };
  }

  /** Best effort: the refusal is the answer whatever happens here. */
  private async resume(
    organizationId: string,
    vpsId: string,
    details: Record<string, unknown> | undefined,
  ): Promise<void> {
    const operationId = details?.operationId;
    const kind = details?.operation;
    if (typeof operationId !== 'string' || !isVpsOperationKind(kind)) return;
    try {
      if (await this.workflows.startVpsOperation(kind, { vpsId, organizationId, operationId })) {
        this.logger.warn(`operation ${operationId} of ${vpsId} had no workflow running; started it`);
      }
    } catch (error) {
      this.logger.warn(`operation ${operationId} of ${vpsId} could not be resumed: ${String(error)}`);
    }
  }
}
