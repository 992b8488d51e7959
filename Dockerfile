# syntax=docker/dockerfile:1
# Build: docker build -t agentd .   Run: docker run -p 8080:8080 -v agentd-data:/var/lib/agentd agentd
FROM oven/bun:1.4.5 AS build
WORKDIR /src
COPY package.json bun.lock .bun-version bunfig.toml tsconfig.json ./
RUN bun install --frozen-lockfile
COPY src ./src
COPY ui ./ui
COPY scripts ./scripts
RUN bun run build

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/agentd --shell /usr/sbin/nologin agentd \
    && mkdir -p /var/lib/agentd && chown agentd:agentd /var/lib/agentd
COPY --from=build /src/dist/agentd /usr/local/bin/agentd
USER agentd
ENV AGENTD_DATA_DIR=/var/lib/agentd
VOLUME ["/var/lib/agentd"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/usr/local/bin/agentd"]
CMD ["serve"]
