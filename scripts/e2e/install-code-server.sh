#!/usr/bin/env bash
# Installs what the real-editor end-to-end test (test/e2e-code-server.test.ts) needs: Debian's chromium, ripgrep,
# libkrb5-dev (to build code-server's kerberos module) and neovim (the second LSP client), and code-server
# 4.100.3 (VS Code 1.100.3, the last line that runs on Node 20) in a cache directory outside the repository.
#
# Why by hand: code-server's own postinstall downloads ripgrep from the internet, which this machine and CI
# cannot reach. So the package is installed with --ignore-scripts and the postinstall is redone here offline:
# Debian's `rg` takes the place of the downloaded one and the native modules are built from source.
#
# Idempotent: every step is skipped when its result is already there; a marker written last makes an
# interrupted install start over. Fails loudly (set -e, and a message naming the step).
#
#   HEALTH_DATA_LINT_E2E_HOME   where code-server goes (default ~/.cache/health-data-lint-e2e)
set -Eeuo pipefail

CODE_SERVER_VERSION=4.100.3
E2E_HOME=${HEALTH_DATA_LINT_E2E_HOME:-$HOME/.cache/health-data-lint-e2e}
PREFIX=$E2E_HOME/code-server-$CODE_SERVER_VERSION
CODE_SERVER=$PREFIX/node_modules/code-server
VSCODE=$CODE_SERVER/lib/vscode
MARKER=$PREFIX/.installed
# code-server's native modules built from source (their prebuilt binaries would be downloaded).
NATIVE_MODULES=(kerberos @parcel/watcher @vscode/spdlog native-watchdog node-pty)

started=$SECONDS
step() { echo "[install-code-server] $* ($((SECONDS - started)) s)"; }
fail() { echo "[install-code-server] FAILED: $*" >&2; exit 1; }
trap 'fail "command on line $LINENO exited with $? (see the output above)"' ERR

install_debian_packages() {
  # dpkg-query, not `command -v`: libkrb5-dev has no command, and a chromium wrapper may shadow the package.
  local wanted=(chromium ripgrep libkrb5-dev neovim g++ make python3) missing=() package
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then step "Debian packages already installed"; return; fi
  [ "$(id -u)" = 0 ] || fail "missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
  step "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get may hold the dpkg lock (other jobs on the machine): wait for it rather than fail.
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

check_node() {
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" = 20 ] || fail "code-server $CODE_SERVER_VERSION needs Node 20, this is Node $(node --version)"
  # node-gyp downloads Node's headers unless it is told where the installed ones are.
  if [ -z "${npm_config_nodedir:-}" ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v undefined || true)" ]; then
    local headers
    headers=$(dirname "$(dirname "$(node -p 'process.execPath')")")
    if [ -f "$headers/include/node/common.gypi" ]; then export npm_config_nodedir=$headers; fi
  fi
}

install_code_server() {
  if [ -f "$MARKER" ] && [ -f "$CODE_SERVER/out/node/entry.js" ]; then
    step "code-server $CODE_SERVER_VERSION already installed in $CODE_SERVER"
    return
  fi
  rm -f "$MARKER"
  mkdir -p "$PREFIX"
  cd "$PREFIX"
  [ -f package.json ] || echo '{ "private": true, "description": "code-server for the Health Data Lint end-to-end test" }' > package.json
  if [ ! -f "$CODE_SERVER/package.json" ]; then
    step "npm install code-server@$CODE_SERVER_VERSION --ignore-scripts"
    npm install --no-audit --no-fund --no-save --ignore-scripts "code-server@$CODE_SERVER_VERSION"
  fi

  cd "$VSCODE"
  if [ ! -d node_modules/@vscode/ripgrep ]; then
    step "installing VS Code's dependencies (lib/vscode)"
    npm install --no-audit --no-fund --omit=dev --ignore-scripts
  fi
  step "using Debian's ripgrep"
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg

  local module
  for module in "${NATIVE_MODULES[@]}"; do
    step "building $module"
    if [ "$module" = node-pty ]; then
      # node-pty's last post-install step runs `npx node-gyp` (a download) to write compile_commands.json for
      # editors; the binary is built before it, so the step's failure is harmless when pty.node exists.
      npm rebuild "$module" >/dev/null 2>&1 || [ -f node_modules/node-pty/build/Release/pty.node ] || fail "building node-pty"
    else
      npm rebuild "$module" >/dev/null
    fi
  done

  # What code-server's postinstall.sh does after its npm install: the asar path extensions read from, and the
  # `code-server` command of the integrated terminal.
  ln -sfn node_modules node_modules.asar
  ln -sfn code-linux.sh bin/remote-cli/code-server
  ln -sfn browser-linux.sh bin/helpers/browser.sh

  cd "$VSCODE/extensions"
  step "installing the built-in extensions' dependencies (lib/vscode/extensions)"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts

  cd "$PREFIX"
  step "building argon2"
  npm rebuild argon2 >/dev/null
  verify
  echo "$CODE_SERVER_VERSION" > "$MARKER"
}

verify() {
  step "checking the native modules load and code-server starts"
  (cd "$VSCODE" && node -e '
    for (const m of ["kerberos", "@parcel/watcher", "@vscode/spdlog", "native-watchdog", "node-pty"]) require(m);
  ')
  (cd "$PREFIX" && node -e 'require("argon2")')
  [ -x "$VSCODE/node_modules/@vscode/ripgrep/bin/rg" ] || fail "ripgrep is missing from $VSCODE/node_modules/@vscode/ripgrep/bin"
  local version
  # --config /dev/null: otherwise code-server writes a default config file into ~/.config/code-server.
  version=$(node "$CODE_SERVER/out/node/entry.js" --config /dev/null --version | head -1)
  case "$version" in "$CODE_SERVER_VERSION"*) ;; *) fail "code-server --version printed '$version'" ;; esac
}

install_debian_packages
check_node
install_code_server
step "done: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), code-server $CODE_SERVER_VERSION in $CODE_SERVER"
