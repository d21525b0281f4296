import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Permission } from '@stratus/domain';
import type { Actor, CommandContext as ExecutorCommandContext } from '@stratus/eventstore';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';

/**
 * Everything a command carries besides its data: who, from where, and under which request; the
 * executor's CommandContext built from an HTTP request. `causationId` starts as the request id and the
 * executor advances it to the id of the last event appended, so a multi-stream use case (register:
 * email, user, organization, wallet) forms a causal chain.
 */
export class CommandContext implements ExecutorCommandContext {
  /** An API key's scopes: the most the request may do (deciders narrow the actor's permissions to them). */
  scopes?: readonly Permission[];

  constructor(
    readonly correlationId: string,
    public causationId: string,
    public actor: Actor,
  ) {}

  static fromRequest(req: Request, user?: AuthenticatedUser | null): CommandContext {
    const requestId = (req as Request & { requestId?: string }).requestId ?? 'unknown';
    const userAgent =
      typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 256) : undefined;
    const actor: Actor = {
      userId: user?.userId ?? 'anonymous',
      role: user?.platformRole ?? 'anonymous',
      ...(user?.impersonatorId ? { impersonatorId: user.impersonatorId } : {}),
      ...(user?.apiKey ? { apiKeyId: user.apiKey.keyId } : {}),
      ...(req.ip ? { ip: req.ip } : {}),
      ...(userAgent ? { userAgent } : {}),
    };
    const context = new CommandContext(requestId, requestId, actor);
    if (user?.apiKey) context.scopes = user.apiKey.permissions;
    return context;
  }

  /** For work the API does on its own behalf (start-up seed). */
  static system(correlationId: string): CommandContext {
    return new CommandContext(correlationId, correlationId, { userId: 'system', role: 'system' });
  }

  /** Same request, acting as a user that was just created (register). */
  actingAs(userId: string, role: string): this {
    this.actor = { ...this.actor, userId, role };
    return this;
  }
}

/**
 * `@Ctx()`: the CommandContext of the current request (actor from the verified JWT or API key, if any; with the
 * impersonating staff member and the key in the actor, so every event appended says so). On an
 * organization's routes (the organization guard established a membership) a platform admin acts as a plain
 * customer, with their organization role only: staff powers are for /api/admin/*.
 */
export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext): CommandContext => {
  const req = context
    .switchToHttp()
    .getRequest<Request & { user?: AuthenticatedUser; membership?: unknown }>();
  const user = req.user ?? null;
  const asMember =
    user && req.membership !== undefined ? { ...user, platformRole: 'customer' as const } : user;
  return CommandContext.fromRequest(req, asMember);
});
