#!/usr/bin/env bash
# Installs everything Clade needs to build, run and test on Debian 12 (run as root, or with
# sudo available). Safe to run again.
#   --tests  also installs what only the tests need (a local Slurm cluster, tests/cluster/)
#   --list   prints both lists, one package a line, and installs nothing
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev
  libgit2-dev libspdlog-dev nlohmann-json3-dev libsqlite3-dev
  zlib1g-dev bubblewrap python3 xvfb xauth fonts-dejavu-core
  file desktop-file-utils appstream groff-base # build (CPack's dpkg-shlibdeps step) and check the .deb
)

# The cluster tests (issue 19) start munged, slurmctld and slurmd from these; without them
# those tests skip. slurm-wlm brings slurmctld, slurmd and the clients. Installing them
# starts no daemon where systemd does not run: invoke-rc.d finds no runlevel, and the Slurm
# init scripts need /etc/slurm/slurm.conf, which the tests never write (they use their own).
test_packages=(slurm-wlm munge)

# --list lets tests/setup/check_build_packages.py read these lists without root and without
# a second copy of them.
case "${1:-}" in
  --list) printf '%s\n' "${packages[@]}" "${test_packages[@]}"; exit 0 ;;
  --tests) packages+=("${test_packages[@]}") ;;
  "") ;;
  *) echo "usage: $0 [--tests | --list]" >&2; exit 2 ;;
esac

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Sandboxed code never runs as root: when the engine runs as root it switches to this
# dedicated unprivileged user (see engine/sandbox/SandboxUser.h). The Debian package's
# postinst creates it from the same file.
. "$(dirname "$0")/../packaging/sandbox-user.sh"
clade_ensure_sandbox_user as_root

# On a host that gives memory or pids through cgroup v1 (a hybrid layout), every sandboxed
# command is moved into its v1 cgroups, and each move waits for an RCU grace period
# (~15 ms on a VM). Linux 6.0+ drops that wait when the cgroup2 hierarchy is mounted with
# favordynmods (forks and exits get slightly dearer instead). A pure cgroup v2 host (stock
# Debian 12) starts commands inside their cgroup and needs nothing. The remount lasts until
# the next boot; CLADE_NO_HOST_TUNING=1 skips it.
tune_cgroup_moves() {
  [ "${CLADE_NO_HOST_TUNING:-0}" = 1 ] && return 0
  grep -qw favordynmods /sys/kernel/cgroup/features 2>/dev/null || return 0
  awk '$3 == "cgroup" && $4 ~ /(^|,)(memory|pids)(,|$)/ { found = 1 } END { exit !found }' \
    /proc/mounts || return 0
  local v2
  v2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  [ -n "$v2" ] || return 0
  if awk -v p="$v2" '$2 == p && $4 ~ /(^|,)favordynmods(,|$)/ { found = 1 } END { exit !found }' \
      /proc/mounts; then
    return 0
  fi
  if as_root mount -o remount,favordynmods "$v2"; then
    echo "cgroup2 at $v2 remounted with favordynmods: sandboxed commands enter their cgroup v1" \
         "folders without waiting ~15 ms each (until the next boot; CLADE_NO_HOST_TUNING=1 skips this)"
  else
    echo "note: could not remount $v2 with favordynmods; each sandboxed command will wait" \
         "~15 ms to enter its cgroup v1 folders" >&2
  fi
}
tune_cgroup_moves
