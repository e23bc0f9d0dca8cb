# The production path of the README ("Running in production"): build with dev dependencies, then
# a runtime image with production dependencies only, running the compiled gateway. CI does not
# build this image (no container engine there); test/production/production-path.test.ts follows
# the same steps, reading the runtime stage's COPY, ENV and CMD lines from this file.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY scripts/run-compiled.js ./scripts/run-compiled.js
COPY operations ./operations
# Inside a container the gateway must listen beyond loopback. The file token store lives in
# /app/.data: mount a volume there (or set REDIS_URL) so tokens outlive the container.
ENV HOST=0.0.0.0 PORT=4000
RUN mkdir .data && chown node:node .data
USER node
EXPOSE 4000
CMD ["node", "--enable-source-maps", "dist/server.js"]
