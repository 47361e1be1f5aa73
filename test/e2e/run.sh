#!/usr/bin/env bash
# End-to-end tests of Ripple in a real VS Code: code-server 4.100.3 (= VS Code 1.100.3) driven by
# playwright-core and Debian's chromium, offline. Builds the extension, installs it into a fresh
# profile, runs the scenarios in test/e2e/drive.mjs and exits non-zero when any fails.
#
# Knobs: E2E_PORT (8765), E2E_SCENARIOS (comma list, default all), E2E_SKIP_BUILD=1,
#        E2E_UPDATE_DOCS_IMAGES=1 (copy the README screenshots to docs/images after a passing run),
#        E2E_ENGINE=stub (test the editor side against test/e2e/stubEngine.ts, not the real engine),
#        E2E_INSTALL_MODE=copy|vsix (copy by default; vsix installs the .vsix that `npm run package`
#        builds, about 90 MB, the way a user would).
# Artifacts: test/e2e/.work/screenshots/*.png, test/e2e/.work/run/{results.json,events.jsonl,code-server.log,ud/logs}
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${E2E_WORK:-$HERE/.work}"
PORT="${E2E_PORT:-8765}"
RUN="$WORK/run"
SHOTS="$WORK/screenshots"
CS_BIN="$WORK/cs/node_modules/.bin/code-server"
log() { printf '\n[e2e %s] %s\n' "$(date +%T)" "$*"; }

bash "$HERE/setup.sh"

ENGINE="${E2E_ENGINE:-real}"
[ -f "$ROOT/src/node/createEngine.ts" ] || ENGINE=stub
BUNDLE=()
if [ "$ENGINE" = stub ]; then
  log "WARNING: testing with test/e2e/stubEngine.ts instead of the real engine"
  node "$HERE/build-with-stub-engine.mjs" "$ROOT"
  BUNDLE=("$WORK/stub-dist")
elif [ "${E2E_SKIP_BUILD:-0}" != 1 ]; then
  log "building the extension"
  (cd "$ROOT" && node esbuild.config.mjs)
fi

log "staging the extension"
STAGE="$WORK/extension"
node "$HERE/stage-extension.mjs" "$ROOT" "$STAGE" "${BUNDLE[@]}"
EXT_ID=$(node -p 'const p=require(process.argv[1]); `${p.publisher}.${p.name}-${p.version}`' "$STAGE/package.json")

rm -rf "$RUN" "$SHOTS"
mkdir -p "$RUN/home" "$RUN/ud/User" "$RUN/exts" "$RUN/ws" "$RUN/out" "$SHOTS"
cp -r "$HERE/fixture/." "$RUN/ws/"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$RUN/config.yaml"
cat > "$RUN/ud/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "extensions.ignoreRecommendations": true,
  "workbench.enableExperiments": false,
  "workbench.tips.enabled": false,
  "workbench.editor.enablePreview": false,
  "editor.inlineSuggest.enabled": true,
  "editor.quickSuggestions": { "other": false, "comments": false, "strings": false },
  "editor.suggestOnTriggerCharacters": false,
  "editor.wordBasedSuggestions": "off",
  "editor.parameterHints.enabled": false,
  "editor.autoClosingBrackets": "never",
  "editor.autoClosingQuotes": "never",
  "editor.hover.enabled": false,
  "editor.minimap.enabled": false,
  "typescript.disableAutomaticTypeAcquisition": true,
  "npm.fetchOnlinePackageInfo": false,
  "git.enabled": false,
  "files.autoSave": "off"
}
JSON

CS_ENV=(env HOME="$RUN/home" XDG_CONFIG_HOME="$RUN/home/.config" XDG_DATA_HOME="$RUN/home/.local/share"
        XDG_CACHE_HOME="$RUN/home/.cache" RIPPLE_EVENT_LOG="$RUN/events.jsonl")
COMMON=(--config "$RUN/config.yaml" --user-data-dir "$RUN/ud" --extensions-dir "$RUN/exts")
if [ "${E2E_INSTALL_MODE:-copy}" = vsix ]; then
  log "packaging with vsce and installing the .vsix"
  (cd "$ROOT" && "$ROOT/node_modules/.bin/vsce" package --allow-missing-repository --skip-license --no-rewrite-relative-links -o "$WORK/ripple.vsix")
  "${CS_ENV[@]}" "$CS_BIN" "${COMMON[@]}" --install-extension "$WORK/ripple.vsix" --force
else
  log "installing $EXT_ID by copying the staged folder"
  cp -r "$STAGE" "$RUN/exts/$EXT_ID"
fi

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then echo "port $PORT is in use; set E2E_PORT"; exit 1; fi
log "starting code-server on 127.0.0.1:$PORT"
setsid "${CS_ENV[@]}" "$CS_BIN" "${COMMON[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened > "$RUN/code-server.log" 2>&1 &
CS_PID=$!
cleanup() {
  if kill -0 "$CS_PID" 2>/dev/null; then
    kill -TERM -- "-$CS_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 -- "-$CS_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$CS_PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && break
  kill -0 "$CS_PID" 2>/dev/null || { cat "$RUN/code-server.log"; echo "code-server died"; exit 1; }
  sleep 0.1
done

log "driving VS Code"
set +e
CS_URL="http://127.0.0.1:$PORT" WS="$RUN/ws" EVENTS="$RUN/events.jsonl" LOGS="$RUN/ud/logs" OUT="$RUN/out" SHOTS="$SHOTS" \
  SCENARIOS="${E2E_SCENARIOS:-}" timeout 600 node "$HERE/drive.mjs"
RC=$?
set -e
cleanup
if [ "$RC" = 0 ] && [ "$ENGINE" = real ] && [ "${E2E_UPDATE_DOCS_IMAGES:-0}" = 1 ]; then
  mkdir -p "$ROOT/docs/images"
  cp "$SHOTS/1-ghost-text.png" "$ROOT/docs/images/ghost-text.png"
  cp "$SHOTS/2-after-jump.png" "$ROOT/docs/images/inline-diff.png"
  cp "$SHOTS/3-cross-file-hint.png" "$ROOT/docs/images/cross-file-hint.png"
  cp "$SHOTS/3-cross-file-jump.png" "$ROOT/docs/images/cross-file-jump.png"
  cp "$SHOTS/4-explain-view.png" "$ROOT/docs/images/explain-view.png"
  log "updated docs/images from this run"
fi
echo "screenshots: $SHOTS"
echo "logs: $RUN/code-server.log $RUN/ud/logs/ $RUN/events.jsonl"
if [ "$RC" = 0 ]; then echo "E2E RESULT: PASS"; else echo "E2E RESULT: FAIL (rc=$RC)"; fi
exit "$RC"
