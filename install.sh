#!/usr/bin/env sh
# Installs the agentd binary. Minimal for now: the operations work adds the system user, the
# systemd unit and /etc/agentd.
#   ./install.sh [--binary PATH] [--prefix DIR]
# Without --binary it builds dist/agentd from this checkout first (needs bun).
set -eu
prefix=/usr/local
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary=$2; shift 2 ;;
    --prefix) prefix=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$binary" ]; then
  command -v bun >/dev/null 2>&1 || { echo "install.sh: bun is needed to build (npm install -g bun)" >&2; exit 1; }
  bun install --frozen-lockfile
  bun run build
  binary=dist/agentd
fi
mkdir -p "$prefix/bin"
install -m 0755 "$binary" "$prefix/bin/agentd"
echo "installed $prefix/bin/agentd — start it with: agentd serve"
