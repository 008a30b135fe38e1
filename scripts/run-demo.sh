#!/usr/bin/env bash
# Install what is missing, build (build/), and start the phone registered to the in-process lab call agent:
#   build/app/skinnyphone --demo [ARGS...]
# Every argument is passed to skinnyphone, except --no-install, which skips package installation.
# With no display (neither DISPLAY nor WAYLAND_DISPLAY), the phone runs with --headless --events -
# so its JSON events appear on standard output. Ctrl-C goes straight to the phone: the script execs it.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install=1
app_args=()
for arg in "$@"; do
  case $arg in
    --no-install) install=0 ;;
    *) app_args+=("$arg") ;;
  esac
done

cd "$SKINNY_ROOT"
build_dir=$(realpath -m "${BUILD_DIR:-build}")
if [[ $install -eq 1 ]]; then
  skinny_install_missing
fi

# Configure only a fresh tree: an existing one keeps its options (scripts/test.sh shares build/).
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  cmake -S "$SKINNY_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
# Build just the phone when the generator knows the target; everything otherwise.
if cmake --build "$build_dir" --target help 2>/dev/null | grep -qE '(^|[ .:])skinnyphone(:|$| )'; then
  cmake --build "$build_dir" --parallel "$(skinny_jobs)" --target skinnyphone
else
  cmake --build "$build_dir" --parallel "$(skinny_jobs)"
fi

phone="$build_dir/app/skinnyphone"
[[ -x $phone ]] || skinny_die "$phone was not built"

if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  has() { local a; for a in "${app_args[@]}"; do [[ $a == "$1" || $a == "$1="* ]] && return 0; done; return 1; }
  has --headless || app_args+=(--headless)
  has --events || app_args+=(--events -)
  skinny_log "no display: running headless, events on standard output (Ctrl-C to stop)"
fi

# Qt wants a private runtime directory; give it one when the session has none.
if [[ -z ${XDG_RUNTIME_DIR:-} || ! -d ${XDG_RUNTIME_DIR:-} ]]; then
  XDG_RUNTIME_DIR="${TMPDIR:-/tmp}/skinnyphone-runtime-$(id -u)"
  mkdir -p "$XDG_RUNTIME_DIR"
  chmod 0700 "$XDG_RUNTIME_DIR"
  export XDG_RUNTIME_DIR
fi

skinny_log "starting: ${phone#"$SKINNY_ROOT"/} --demo ${app_args[*]}"
exec "$phone" --demo "${app_args[@]}"
