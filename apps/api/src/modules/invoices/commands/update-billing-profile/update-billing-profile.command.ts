import { Command } from '@nestjs/cqrs';
import type { BillingProfile } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { UpdateBillingProfileRequestDto } from './update-billing-profile.request.dto';

export interface UpdateBillingProfileResult {
  profile: BillingProfile;
  position: Position | null;
}

/** Replace the organization's billing profile (the domain checks and normalizes every field). */
export class UpdateBillingProfileCommand extends Command<UpdateBillingProfileResult> {
  constructor(
    readonly organizationId: string,
    readonly profile: UpdateBillingProfileRequestDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
