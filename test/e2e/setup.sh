#!/usr/bin/env bash
# Installs code-server 4.100.3 (= VS Code 1.100.3, the last release that runs on Node 20) into
# test/e2e/.work/cs, offline except for the npm registry and Debian apt. Idempotent: a stamp file
# marks a finished install; E2E_REINSTALL=1 redoes it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${E2E_WORK:-$HERE/.work}"
CS_VERSION=4.100.3
CS="$WORK/cs"
VS="$CS/node_modules/code-server/lib/vscode"
STAMP="$CS/.e2e-install-ok-$CS_VERSION"
log() { printf '\n[e2e setup %s] %s\n' "$(date +%T)" "$*"; }

[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || { echo "need Node 20 (code-server $CS_VERSION)"; exit 1; }

# System packages: chromium drives the editor, ripgrep replaces @vscode/ripgrep's GitHub download,
# libkrb5-dev and a compiler build the kerberos and other native modules.
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
{ command -v g++ && command -v make; } >/dev/null || need+=(build-essential)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  log "apt-get install ${need[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${need[@]}"
fi

if [ "${E2E_REINSTALL:-0}" != 1 ] && [ -f "$STAMP" ]; then
  log "code-server $CS_VERSION already installed in $CS"
  exit 0
fi

log "installing code-server $CS_VERSION into $CS"
rm -rf "$CS"; mkdir -p "$CS"
cat > "$CS/package.json" <<JSON
{ "name": "ripple-e2e-code-server-host", "version": "1.0.0", "private": true,
  "dependencies": { "code-server": "$CS_VERSION" },
  "allowScripts": { "argon2": true } }
JSON
cd "$CS"
# Scripts stay off: code-server's postinstall would download ripgrep from GitHub.
npm install --ignore-scripts --no-audit --no-fund
# node-pre-gyp would try a GitHub download first.
npm_config_build_from_source=true npm rebuild argon2 --foreground-scripts
# code-server's postinstall.sh, step by step.
cd "$VS"
npm install --omit=dev --ignore-scripts --no-audit --no-fund
# @vscode/ripgrep's postinstall exits early when bin/ exists.
mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# npm 11 skips dependency install scripts unless approved; older npm lacks the command.
npm install-scripts approve --all >/dev/null 2>&1 || true
# node-pty's postinstall runs 'npx node-gyp ...', which needs permission to fetch node-gyp.
npm_config_yes=true npm rebuild --foreground-scripts
ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sfn code-linux.sh code-server)
(cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --no-audit --no-fund)
node -e '
  const r = require("module").createRequire(process.argv[1] + "/");
  for (const m of ["node-pty", "@vscode/spdlog", "kerberos", "native-watchdog", "@parcel/watcher", "@vscode/deviceid"]) r(m);
  require("module").createRequire(process.argv[2] + "/")("argon2");
  console.log("native modules OK");' "$VS" "$CS"
[ -x node_modules/@vscode/ripgrep/bin/rg ]
touch "$STAMP"
log "done"
