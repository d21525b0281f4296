import { Query } from '@nestjs/cqrs';
import type {
  ProvisioningListFilter,
  ProvisioningWorkflowListing,
} from '../../../../shared/temporal/provisioning-visibility';

export interface ProvisioningWorkflowItem extends ProvisioningWorkflowListing {
  /** Seconds since the workflow started. */
  ageSeconds: number;
}

export interface ProvisioningWorkflowsPage {
  items: ProvisioningWorkflowItem[];
  nextPageToken: string | null;
}

/** Provisioning workflows from Temporal visibility (not the read model: it is Temporal's view staff need). */
export class ListProvisioningQuery extends Query<ProvisioningWorkflowsPage> {
  constructor(readonly filter: ProvisioningListFilter) {
    super();
  }
}
