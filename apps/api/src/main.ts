import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@stratus/infra';
import { createApiApp } from './app.factory';
import { apiConfigFrom } from './shared/config/api-config';

async function main(): Promise<void> {
  const config = apiConfigFrom(loadConfigOrExit('api'));
  const app = await createApiApp(config);
  // SIGTERM/SIGINT: stop accepting, finish in-flight requests, close the pools.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.http.port, config.http.host);
  new Logger('Main').log(`Stratus API listening on http://${config.http.host}:${config.http.port}/api`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `stratus api: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
