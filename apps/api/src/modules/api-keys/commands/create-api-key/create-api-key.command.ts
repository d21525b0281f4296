import { Command } from '@nestjs/cqrs';
import type { ApiKeyState } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface CreatedApiKey {
  /** The full key: returned once. */
  key: string;
  state: Extract<ApiKeyState, { status: 'active' }>;
  organizationName: string;
  position: Position | null;
}

/** The signed-in user (the context's actor) creates a key for one of their organizations. */
export class CreateApiKeyCommand extends Command<CreatedApiKey> {
  constructor(
    readonly userId: string,
    readonly request: {
      name: string;
      organizationId: string;
      permissions: string[];
      expiresAt: string | null;
      allowedIps: string[];
    },
    readonly context: CommandContext,
  ) {
    super();
  }
}
