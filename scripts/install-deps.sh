#!/usr/bin/env bash
# Installs everything Clade needs to build, run and test on Debian 12 (run as root, or with
# sudo available). Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  qt6-base-dev qt6-charts-dev qt6-svg-dev libgl-dev
  libgit2-dev libspdlog-dev nlohmann-json3-dev libsqlite3-dev
  bubblewrap python3 xvfb xauth fonts-dejavu-core
)

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
# dedicated unprivileged user (see engine/sandbox/SandboxUser.h).
if ! id clade-sandbox >/dev/null 2>&1; then
  as_root useradd --system --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin clade-sandbox
fi
