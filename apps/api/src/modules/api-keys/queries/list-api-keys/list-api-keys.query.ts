import { Query } from '@nestjs/cqrs';
import type { ApiKeyDto } from '../../shared/api-key.dto';

export interface ApiKeysPage {
  items: ApiKeyDto[];
  nextCursor: string | null;
}

/** Where a page of keys ends: the last one returned (order: newest first, then id). */
export interface ApiKeyCursor {
  createdAt: Date;
  keyId: string;
}

/** A page of the user's API keys (revoked and expired ones included), newest first. */
export class ListApiKeysQuery extends Query<ApiKeysPage> {
  constructor(
    readonly userId: string,
    readonly limit: number,
    readonly after: ApiKeyCursor | null,
  ) {
    super();
  }
}
