# shellcheck shell=bash
# Shared helpers for scripts/test.sh and scripts/run-demo.sh: find the repository, install the Debian 12
# packages that are missing, configure and build a CMake tree. Source it; it defines functions and
# SKINNY_ROOT, and changes nothing else.

SKINNY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Everything the build, the tests and the demo need on Debian 12 (Debian package names).
SKINNY_PACKAGES=(
  cmake g++ pkg-config
  qt6-base-dev qt6-multimedia-dev
  libopus-dev libsndfile1-dev libspandsp-dev libbcg729-dev libsrtp2-dev libspeexdsp-dev
  libwebrtc-audio-processing-dev qt6-svg-dev libqt6sql6-sqlite
  libbenchmark-dev libgtest-dev
  tshark sox
  gdb # QtTest's crash handler prints every thread's stack with it: a crash in CI says where
  xvfb xauth imagemagick
  dbus desktop-file-utils appstream
  pulseaudio pulseaudio-utils libpulse-dev
  clang libclang-rt-14-dev
)

skinny_log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
skinny_die() { skinny_log "error: $*"; exit 1; }

# Number of CPUs to build with.
skinny_jobs() { nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2; }

# Run a command as root: directly when we are root, through sudo otherwise.
skinny_as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    skinny_die "need root or sudo to run: $*"
  fi
}

# Print the packages of SKINNY_PACKAGES that dpkg does not report as installed, one per line.
skinny_missing_packages() {
  local pkg status
  for pkg in "${SKINNY_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || printf '%s\n' "$pkg"
  done
}

# Install whatever is missing. Does nothing (not even apt-get update) when everything is present.
skinny_install_missing() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    skinny_log "not a Debian system (no dpkg-query/apt-get): skipping package installation"
    return 0
  fi
  local missing
  mapfile -t missing < <(skinny_missing_packages)
  if [[ ${#missing[@]} -eq 0 ]]; then
    skinny_log "all ${#SKINNY_PACKAGES[@]} required packages are installed"
    return 0
  fi
  skinny_log "installing ${#missing[@]} missing package(s): ${missing[*]}"
  # tshark asks whether non-root users may capture; answer before apt-get sees it.
  echo "wireshark-common wireshark-common/install-setuid boolean false" \
    | skinny_as_root debconf-set-selections
  skinny_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q </dev/null
  skinny_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" </dev/null
  mapfile -t missing < <(skinny_missing_packages)
  [[ ${#missing[@]} -eq 0 ]] || skinny_die "still missing after apt-get install: ${missing[*]}"
}

# skinny_configure_and_build DIR [CMAKE_ARGS...]: configure DIR from the source tree, then build it with
# every core. Returns non-zero when either step fails.
skinny_configure_and_build() {
  local dir=$1
  shift
  skinny_log "configuring ${dir#"$SKINNY_ROOT"/}: $*"
  cmake -S "$SKINNY_ROOT" -B "$dir" "$@" || return 1
  skinny_log "building ${dir#"$SKINNY_ROOT"/} with $(skinny_jobs) jobs"
  cmake --build "$dir" --parallel "$(skinny_jobs)" || return 1
}
