export {
  createApiApp,
  openApiResources,
  buildOpenApiDocument,
  buildOfflineOpenApiDocument,
  API_PREFIX,
} from './app.factory';
export { AppModule } from './app.module';
export { apiConfigFrom, type ApiConfig } from './shared/config/api-config';
