export const PROJECTIONS_ORM = Symbol('PROJECTIONS_ORM');
