# One image for the three processes of a deployment:
#   API (default):  bun run src/main.ts      (port 3000: /api/v1, /health, /ready, /metrics)
#   worker:         bun run worker            (port 9091: /metrics, /health, /ready)
#   migrations:     bun run db:migrate        (run once per release, e.g. the Helm hook Job)
# The slim variant is Debian with glibc and libstdc++, which sharp's prebuilt binary needs
# (a distroless or musl base lacks them). The tag is package.json's packageManager version.

FROM oven/bun:1.4.5-slim AS deps
WORKDIR /app
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile --production

FROM oven/bun:1.4.5-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000 \
    WORKER_METRICS_PORT=9091 \
    DATA_DIR=/app/data
COPY --from=deps /app/node_modules ./node_modules
COPY package.json bun.lock tsconfig.json bunfig.toml ./
COPY scripts ./scripts
COPY drizzle ./drizzle
COPY src ./src
# scripts/bun.sh (behind `bun run worker`) reinstalls when package.json is newer than
# node_modules; the image's dependencies are final, so mark them current. DATA_DIR holds
# the embedded database and files when no DATABASE_URL or S3_ENDPOINT is given.
RUN touch node_modules \
    && mkdir -p /app/data \
    && chown 1000:1000 /app/data
# The image's `bun` user, by number: Kubernetes' runAsNonRoot can only verify a numeric USER.
USER 1000:1000
EXPOSE 3000 9091
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bun", "run", "src/scripts/healthcheck.ts"]
CMD ["bun", "run", "src/main.ts"]
