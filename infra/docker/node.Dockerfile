# syntax=docker/dockerfile:1
# One multi-stage build for the Node services (npm workspaces); docker-compose.yml picks a target: api | workers | web.
# Build context: the repository root.

FROM node:24-bookworm-slim AS build
WORKDIR /repo
# Manifests first, so `npm ci` is cached until a dependency changes.
COPY package.json package-lock.json ./
COPY libs/domain/package.json libs/domain/
COPY libs/eventstore/package.json libs/eventstore/
COPY libs/projections/package.json libs/projections/
COPY workflows/package.json workflows/
COPY infra/package.json infra/
COPY apps/api/package.json apps/api/
COPY apps/workers/package.json apps/workers/
COPY apps/web/package.json apps/web/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -b tsconfig.build.json \
 && npm run build -w @stratus/web \
 && npm prune --omit=dev --no-audit --no-fund

# Runtime image for the backend services: production dependencies plus each workspace's manifest and dist.
# node_modules/@stratus/* are workspace symlinks into libs/, infra/, workflows/ and apps/.
FROM node:24-bookworm-slim AS backend
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /repo/package.json ./
COPY --from=build /repo/node_modules ./node_modules
COPY --from=build /repo/libs/domain/package.json ./libs/domain/
COPY --from=build /repo/libs/domain/dist ./libs/domain/dist
COPY --from=build /repo/libs/eventstore/package.json ./libs/eventstore/
COPY --from=build /repo/libs/eventstore/dist ./libs/eventstore/dist
COPY --from=build /repo/libs/projections/package.json ./libs/projections/
COPY --from=build /repo/libs/projections/dist ./libs/projections/dist
COPY --from=build /repo/workflows/package.json ./workflows/
COPY --from=build /repo/workflows/dist ./workflows/dist
COPY --from=build /repo/infra/package.json ./infra/
COPY --from=build /repo/infra/dist ./infra/dist
USER node

FROM backend AS api
COPY --from=build /repo/apps/api/package.json ./apps/api/
COPY --from=build /repo/apps/api/dist ./apps/api/dist
EXPOSE 3001
CMD ["node", "apps/api/dist/main.js"]

FROM backend AS workers
COPY --from=build /repo/apps/workers/package.json ./apps/workers/
COPY --from=build /repo/apps/workers/dist ./apps/workers/dist
EXPOSE 9464
CMD ["node", "apps/workers/dist/main.js"]

# The SvelteKit build (adapter-node) bundles what it needs; no node_modules.
FROM node:24-bookworm-slim AS web
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /repo/apps/web/package.json ./
COPY --from=build /repo/apps/web/build ./build
USER node
EXPOSE 3000
# adapter-node listens on PORT; Stratus configures the portal with WEB_PORT.
CMD ["sh", "-c", "PORT=\"${WEB_PORT:-3000}\" exec node build"]
