# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript with dev dependencies, ship only dist/ and production
# dependencies on the same Node 22 LTS base (same glibc/ABI for any native module).

FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsconfig.build.json has rootDir src, so src/app/main.ts compiles to dist/app/main.js.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM node:22-slim AS runtime
# The app listens on loopback by default; in a container it must bind every interface.
# --expose-gc: the app collects after large chunk-upload bodies (HEAP_RECLAIM_AFTER_BYTES).
ENV NODE_ENV=production \
    NODE_OPTIONS=--expose-gc \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
# Files stay owned by root and are only readable by the app user: the process cannot rewrite its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# "node" (uid 1000) ships with the official image.
USER node
EXPOSE 8080
# Slim has no curl: probe with Node's built-in fetch. Liveness only (see terraform/README.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: no shell in between, so SIGTERM from ECS reaches Node and its graceful drain
# (the task definition also enables ECS's init process to forward signals and reap children).
CMD ["node", "dist/app/main.js"]
