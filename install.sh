#!/usr/bin/env sh
# Installs agentd as a systemd service on a Linux machine. Run it again to upgrade: it changes
# only what differs, and never touches an existing config file or the data.
#
#   ./install.sh [--binary PATH | RELEASE.tar.gz] [--prefix DIR] [--no-user] [--no-start]
#   ./install.sh --uninstall [--purge] [--prefix DIR]
#
#   --binary PATH    the agentd executable to install (default: dist/agentd, built from this
#                    checkout with bun when missing)
#   RELEASE.tar.gz   a release tarball holding an `agentd` executable, instead of --binary
#   --prefix DIR     /usr/local (default) or /usr: binary in PREFIX/bin, config in /etc/agentd,
#                    data in /var/lib/agentd, unit in /etc/systemd/system. Any other DIR keeps
#                    everything under it (DIR/bin, DIR/etc/agentd, DIR/var/lib/agentd,
#                    DIR/etc/systemd/system), e.g. /opt/agentd or a test directory.
#   DESTDIR=/stage   environment variable: stage every path under /stage (packaging)
#   --no-user        do not create the `agentd` system user (it must exist to run the service)
#   --no-start       do not enable or (re)start the service
#   --uninstall      stop the service, remove the binary and the unit; keeps config and data
#   --purge          with --uninstall: also remove the config, the data and the `agentd` user
set -eu

prefix=/usr/local
binary=""
tarball=""
make_user=yes
start=yes
action=install
purge=no
destdir=${DESTDIR:-}

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
  case "$1" in
    --binary) [ $# -ge 2 ] || die "--binary needs a path"; binary=$2; shift 2 ;;
    --binary=*) binary=${1#--binary=}; shift ;;
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --no-user) make_user=no; shift ;;
    --no-start) start=no; shift ;;
    --uninstall) action=uninstall; shift ;;
    --purge) purge=yes; shift ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *.tar.gz|*.tgz) tarball=$1; shift ;;
    *) printf 'install.sh: unknown option %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
done
[ "$purge" = no ] || [ "$action" = uninstall ] || die "--purge goes with --uninstall"
case "$prefix" in /*) ;; *) prefix=$(cd "$prefix" 2>/dev/null && pwd) || die "--prefix directory does not exist" ;; esac
prefix=${prefix%/}

# Where things go, as the running system sees them (the unit names these) ...
case "$prefix" in
  /usr/local|/usr) etc_dir=/etc/agentd; data_dir=/var/lib/agentd; unit_dir=/etc/systemd/system; system=yes ;;
  *) etc_dir=$prefix/etc/agentd; data_dir=$prefix/var/lib/agentd; unit_dir=$prefix/etc/systemd/system; system=no ;;
esac
bin_path=$prefix/bin/agentd
config_path=$etc_dir/agentd.yaml
unit_path=$unit_dir/agentd.service
# ... and where this run writes them.
[ -z "$destdir" ] || system=no
root() { printf '%s%s' "$destdir" "$1"; }

# systemctl only for a real install on a running systemd.
use_systemctl() { [ "$system" = yes ] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; }
as_root() { [ "$system" = no ] || [ "$(id -u)" = 0 ] || die "installing into $prefix needs root (sudo ./install.sh ...)"; }

uninstall() {
  as_root
  if use_systemctl; then
    systemctl disable --now agentd.service >/dev/null 2>&1 || true
  fi
  for file in "$(root "$bin_path")" "$(root "$unit_path")"; do
    if [ -e "$file" ]; then rm -f "$file"; say "removed $file"; fi
  done
  if use_systemctl; then systemctl daemon-reload; fi
  if [ "$purge" = yes ]; then
    for dir in "$(root "$etc_dir")" "$(root "$data_dir")"; do
      if [ -e "$dir" ]; then rm -rf "$dir"; say "removed $dir"; fi
    done
    if [ "$system" = yes ] && id agentd >/dev/null 2>&1; then userdel agentd && say "removed user agentd"; fi
  else
    say "kept $(root "$etc_dir") and $(root "$data_dir") (--purge removes them)"
  fi
}

# Puts $1 at $2 with mode $3 unless an identical file is already there.
place() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    chmod "$3" "$2"
    say "unchanged $2"
  else
    mkdir -p "$(dirname "$2")"
    cp "$1" "$2.new" && chmod "$3" "$2.new" && mv -f "$2.new" "$2"
    say "installed $2"
    changed=yes
  fi
}

random_secret() {
  # 64 characters from [A-Za-z0-9]: 380 bits, well over the 32 bytes auth.jwt_secret needs.
  LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 64
}

write_unit() {
  cat <<UNIT
# agentd: written by install.sh; rerun install.sh rather than editing (or use a drop-in:
# systemctl edit agentd).
[Unit]
Description=agentd, a self-hosted real-time AI chat server
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=agentd
Group=agentd
ExecStart=$bin_path serve --config $config_path
WorkingDirectory=$data_dir
Restart=on-failure
RestartSec=2s
# SIGTERM lets replies finish for server.shutdown_timeout_ms (10 s by default) first.
KillSignal=SIGTERM
TimeoutStopSec=30s
LimitNOFILE=65536
UMask=0077

# Hardening: agentd writes only its data directory.
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=$data_dir
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
LockPersonality=yes
SystemCallArchitectures=native
# No capabilities. To listen on a port below 1024, add: AmbientCapabilities=CAP_NET_BIND_SERVICE
# and CapabilityBoundingSet=CAP_NET_BIND_SERVICE (better: keep 8080 behind a reverse proxy).
CapabilityBoundingSet=
# MemoryDenyWriteExecute stays off: the JavaScript engine's JIT needs it.

[Install]
WantedBy=multi-user.target
UNIT
}

install_agentd() {
  as_root
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT INT TERM
  changed=no

  if [ -n "$tarball" ]; then
    [ -z "$binary" ] || die "give --binary or a release tarball, not both"
    [ -f "$tarball" ] || die "$tarball does not exist"
    mkdir "$work/release"
    tar -xzf "$tarball" -C "$work/release" || die "$tarball is not a readable .tar.gz"
    binary=$(find "$work/release" -maxdepth 3 -type f -name agentd | head -n 1)
    [ -n "$binary" ] || die "$tarball holds no agentd executable"
  elif [ -z "$binary" ]; then
    binary=dist/agentd
    if [ ! -x "$binary" ]; then
      command -v bun >/dev/null 2>&1 || die "no --binary given and bun is not installed to build dist/agentd (npm install -g bun)"
      bun install --frozen-lockfile && bun run build
    fi
  fi
  [ -f "$binary" ] || die "$binary does not exist"
  "$binary" --version >/dev/null 2>&1 || die "$binary does not run on this machine"

  if [ "$make_user" = yes ] && [ "$system" = yes ] && ! id agentd >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin agentd
    say "created system user agentd"
  fi
  owner() { if [ "$make_user" = yes ] && [ "$system" = yes ]; then chown "$@"; fi; }

  place "$binary" "$(root "$bin_path")" 0755

  config=$(root "$config_path")
  if [ -f "$config" ]; then
    say "kept $config"
  else
    mkdir -p "$(dirname "$config")"
    "$binary" config defaults >"$work/agentd.yaml"
    secret=$(random_secret)
    sed -e "s|^data_dir: .*|data_dir: $data_dir|" -e "s|^  # jwt_secret:\$|  jwt_secret: \"$secret\"|" "$work/agentd.yaml" >"$work/agentd.yaml.set"
    grep -q "^  jwt_secret: \"$secret\"" "$work/agentd.yaml.set" || die "could not set auth.jwt_secret in the generated config"
    (umask 077 && cp "$work/agentd.yaml.set" "$config")
    chmod 0600 "$config"
    owner agentd:agentd "$config"
    say "wrote $config (mode 0600, with a generated auth.jwt_secret): set llm.model there"
    changed=yes
  fi
  chmod 0755 "$(dirname "$config")"

  data=$(root "$data_dir")
  if [ -d "$data" ]; then say "kept $data"; else mkdir -p "$data" && say "created $data"; changed=yes; fi
  chmod 0750 "$data"
  owner agentd:agentd "$data"

  write_unit >"$work/agentd.service"
  place "$work/agentd.service" "$(root "$unit_path")" 0644

  if use_systemctl; then
    systemctl daemon-reload
    if [ "$start" = yes ]; then
      if systemctl is-active --quiet agentd.service; then
        if [ "$changed" = yes ]; then systemctl restart agentd.service && say "restarted agentd"; fi
      else
        systemctl enable --now agentd.service && say "started agentd (systemctl status agentd)"
      fi
    fi
  elif [ "$system" = yes ]; then
    say "next: systemctl daemon-reload && systemctl enable --now agentd"
  fi
  [ "$changed" = yes ] || say "nothing to change: agentd is installed as asked"
}

case "$action" in
  install) install_agentd ;;
  uninstall) uninstall ;;
esac
