import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiPublicOperation } from '../http/openapi-conventions';

export const IS_PUBLIC = 'stratus:public';
/** Route reachable without a session token (documented with `security: []`). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiPublicOperation());
