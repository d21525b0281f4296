import { Module } from '@nestjs/common';
import { CreateApiKeyHandler } from './commands/create-api-key/create-api-key.handler';
import { CreateApiKeyHttpController } from './commands/create-api-key/create-api-key.http.controller';
import { RevokeApiKeyHandler } from './commands/revoke-api-key/revoke-api-key.handler';
import { RevokeApiKeyHttpController } from './commands/revoke-api-key/revoke-api-key.http.controller';
import { ListApiKeysHandler } from './queries/list-api-keys/list-api-keys.handler';
import { ListApiKeysHttpController } from './queries/list-api-keys/list-api-keys.http.controller';

/**
 * A user's API keys (stream `apikey-<keyId>`, read model `api_keys`). Authenticating with one is the global guard's
 * job (shared/auth/api-key-authenticator.service.ts).
 */
@Module({
  controllers: [CreateApiKeyHttpController, ListApiKeysHttpController, RevokeApiKeyHttpController],
  providers: [CreateApiKeyHandler, RevokeApiKeyHandler, ListApiKeysHandler],
})
export class ApiKeysModule {}
