# syntax=docker/dockerfile:1
# agentd in a container: the compiled binary on slim Debian, run by an unprivileged user, data on a volume.
#   docker build -t agentd .
#   docker run -d --name agentd -p 8080:8080 -v agentd-data:/var/lib/agentd \
#     -e AGENTD_LLM__MODEL=gpt-4o-mini -e OPENAI_API_KEY=sk-... agentd
# Settings come from AGENTD_* variables, or mount a file: -v ./agentd.yaml:/etc/agentd/agentd.yaml:ro
# and run `agentd serve --config /etc/agentd/agentd.yaml`. Stop with `docker stop -t 30` so replies
# in flight can finish (server.shutdown_timeout_ms). The guide is docs/deployment.md.

FROM oven/bun:1.4.5 AS build
WORKDIR /src
COPY package.json bun.lock .bun-version bunfig.toml tsconfig.json ./
RUN bun install --frozen-lockfile
COPY src ./src
COPY ui ./ui
COPY scripts ./scripts
RUN bun run build && ./dist/agentd --version

FROM debian:bookworm-slim
ARG UID=10001
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid "$UID" agentd \
    && useradd --system --uid "$UID" --gid agentd --home-dir /var/lib/agentd --shell /usr/sbin/nologin agentd \
    && mkdir -p /var/lib/agentd \
    && chown agentd:agentd /var/lib/agentd \
    && chmod 0750 /var/lib/agentd
COPY --from=build /src/dist/agentd /usr/local/bin/agentd
ENV AGENTD_DATA_DIR=/var/lib/agentd \
    AGENTD_SERVER__HOST=0.0.0.0 \
    AGENTD_SERVER__PORT=8080 \
    AGENTD_LOG__FORMAT=json
WORKDIR /var/lib/agentd
VOLUME ["/var/lib/agentd"]
USER ${UID}:${UID}
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
    CMD curl -fsS -o /dev/null "http://127.0.0.1:${AGENTD_SERVER__PORT}/healthz" || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/agentd"]
CMD ["serve"]
