import { Query } from '@nestjs/cqrs';
import type { PlanDto } from '../../shared/plan.dto';

/** Staff: every plan, inactive ones included. */
export class ListPlansQuery extends Query<PlanDto[]> {}
