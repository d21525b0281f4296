import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'stratus:public';
/** Route reachable without a session token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
