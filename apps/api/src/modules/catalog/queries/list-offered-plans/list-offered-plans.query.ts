import { Query } from '@nestjs/cqrs';
import type { OfferedPlanDto } from '../../shared/plan.dto';

/** Customers: active plans with their prices. */
export class ListOfferedPlansQuery extends Query<OfferedPlanDto[]> {}
