# Shared by the scripts: paths and small helpers. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export IMROOM_CACHE="${IMROOM_CACHE:-$HOME/.cache/imroom}"
export EM_CACHE="$IMROOM_CACHE/emcache"
export SDL2_PREFIX="$IMROOM_CACHE/sdl2-wasm"
export IMGUI_SRC="$IMROOM_CACHE/src/imgui"
# The acorn optimizer used by emcc's JS passes lives in Debian's node path.
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"
export EMCC_SKIP_SANITY_CHECK=1

log() { printf '\033[1m[imroom]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
sudo_() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
