#!/usr/bin/env bash
# Installs what wand needs beyond the Rust toolchain. Safe to re-run: it installs only
# what is missing.
# - The simulation, camera and CLI are pure Rust: nothing.
# - The viewer (wand-viewer: bevy) draws with Vulkan, on Mesa's lavapipe where there is
#   no GPU, and opens X11 windows (under Xvfb on a machine without a display). It needs
#   these Debian/Ubuntu packages at run time (building it needs none of them).
# - The peer benchmarks (wand bench --compare) install their own Python venv.
set -euo pipefail
command -v cargo >/dev/null || { echo "setup: cargo is missing; install Rust (rustup)" >&2; exit 1; }
echo "setup: $(cargo --version)"

VIEWER_PACKAGES=(
  mesa-vulkan-drivers libvulkan1            # Vulkan, and lavapipe: rendering without a GPU
  libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0   # X11 windows (winit)
  xvfb xauth                                 # a display for windows on a headless machine
)
missing=()
for package in "${VIEWER_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: the viewer's system packages are installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "setup: not a Debian/Ubuntu system: install the equivalents of ${missing[*]} for the viewer" >&2
  exit 0
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
  || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
echo "setup: done"
