# Shared environment for scripts/setup, scripts/run, scripts/test and scripts/bench. Sourced, not run.
#
# Tools live outside the work tree (in $KINLINK_HOME, default ~/.kinlink) so every clone on a machine
# shares one install; nothing is downloaded at build or test time.

KINLINK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KINLINK_HOME="${KINLINK_HOME:-$HOME/.kinlink}"
KINLINK_TOOLS="$KINLINK_HOME/tools"
KINLINK_SHIM="$KINLINK_HOME/shim"
export KINLINK_ROOT KINLINK_HOME

# Pinned tool versions (wasm-bindgen-cli follows Cargo.lock instead).
TRUNK_VERSION="0.22.1"

# How wasm32 is built: "rustup" when the rustc on PATH already has a wasm32 std, else "debian" (Debian's
# rustc-web with std built from source; see scripts/setup).
kinlink_wasm_route() {
  local sysroot
  if command -v rustc >/dev/null 2>&1; then
    sysroot="$(rustc --print sysroot 2>/dev/null || true)"
    if [ -n "$sysroot" ] && [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ]; then
      echo rustup
      return
    fi
  fi
  echo debian
}

KINLINK_WASM_ROUTE="${KINLINK_WASM_ROUTE:-$(kinlink_wasm_route)}"
export KINLINK_WASM_ROUTE

# Debian's compiler first (only cargo/rustc/rustdoc are shimmed, so other tools on PATH stay visible),
# then the installed tools, then the npm tools (wasm-opt from binaryen 132, tsc).
if [ "$KINLINK_WASM_ROUTE" = debian ]; then
  PATH="$KINLINK_SHIM:$PATH"
  # build-std needs it; set for every build so host artifacts are not rebuilt between native and wasm.
  export RUSTC_BOOTSTRAP=1
fi
PATH="$KINLINK_TOOLS/bin:$KINLINK_ROOT/node_modules/.bin:$PATH"
export PATH
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# Runs a command with what a wasm32 build needs on this route.
with_wasm() {
  if [ "$KINLINK_WASM_ROUTE" = debian ]; then
    CARGO_UNSTABLE_BUILD_STD="std,panic_abort" "$@"
  else
    "$@"
  fi
}

# The wasm-bindgen version Cargo.lock pins.
kinlink_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$KINLINK_ROOT/Cargo.lock"
}

# Prints how long a step took: `timed NAME command...`.
timed() {
  local name="$1" start end status
  shift
  start=$(date +%s)
  "$@" && status=0 || status=$?
  end=$(date +%s)
  echo "[$(basename "$0")] $name: $((end - start)) s$([ $status -eq 0 ] || echo " (FAILED, exit $status)")"
  return $status
}

# What the release console is built from; a build is skipped when none of it changed since the last one.
KINLINK_CONSOLE_SOURCES=(src sdk/src sdk/Cargo.toml style public index.html Trunk.toml Cargo.toml Cargo.lock scripts/lib/precompress.mjs)

# A fingerprint of files and folders under the root (names and contents): `sources_fingerprint PATH...`.
sources_fingerprint() {
  (cd "$KINLINK_ROOT" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# A fingerprint of the console's sources.
console_fingerprint() {
  sources_fingerprint "${KINLINK_CONSOLE_SOURCES[@]}"
}

# What the npm package's wasm is built from (scripts/package reuses a build of exactly these; the
# staging and `npm pack`, a few seconds, always run).
KINLINK_PACKAGE_SOURCES=(sdk/src sdk/Cargo.toml Cargo.toml Cargo.lock scripts/package)

# Builds the release console into dist/ (precompressed by Trunk's hook), unless dist/ already holds a
# build of exactly these sources. Trunk's own lock file is removed: it is not part of the console.
build_console() {
  local stamp="$KINLINK_ROOT/target/console.fingerprint" fingerprint
  fingerprint="$(console_fingerprint)"
  # The shell names the build's hashed files, so it also tells whether dist/ is still that build.
  if [ -f "$KINLINK_ROOT/dist/index.html" ] && [ -f "$stamp" ] &&
    [ "$(cat "$stamp")" = "$fingerprint $(sha256sum "$KINLINK_ROOT/dist/index.html" | cut -d' ' -f1)" ]; then
    echo "[$(basename "$0")] console unchanged since the last build; reusing dist/"
    return 0
  fi
  rm -f "$stamp"
  (cd "$KINLINK_ROOT" && with_wasm trunk build --release) || return 1
  rm -f "$KINLINK_ROOT/dist/.trunk-lock"
  mkdir -p "$KINLINK_ROOT/target"
  echo "$fingerprint $(sha256sum "$KINLINK_ROOT/dist/index.html" | cut -d' ' -f1)" >"$stamp"
}
