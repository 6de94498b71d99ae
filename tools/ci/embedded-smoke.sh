#!/usr/bin/env bash
# The README's promise, checked end to end: the embedded CRM starts, answers readiness and serves a
# valid OpenAPI 3 document through the gateway, keeps its data across a restart, and exits 0 on Ctrl-C
# within 10 s. Expects a prior `npm run build`.
set -euo pipefail
cd "$(dirname "$0")/../.."

port="${SMOKE_PORT:-13000}"
export PORT="$port" CRM_PG_PORT="${SMOKE_PG_PORT:-15433}"
export CRM_ADMIN_EMAIL="smoke-admin@example.com" CRM_ADMIN_PASSWORD="Smoke-admin-42"
export CRM_DATA_DIR="${SMOKE_DATA_DIR:-$(mktemp -d /tmp/crm-smoke-XXXXXX)}"
chmod 755 "$CRM_DATA_DIR"
log="$CRM_DATA_DIR/embedded.log"
base="http://127.0.0.1:$port"

run_once() {
  node tools/embedded/dist/main.js >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    if curl -fsS "$base/health/ready" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "embedded CRM exited during start-up:"; tail -50 "$log"; exit 1; fi
    sleep 0.5
  done
  curl -fsS "$base/health/ready" >/dev/null || { echo "not ready after 60 s:"; tail -50 "$log"; kill "$pid"; exit 1; }
  curl -fsS "$base/api/docs-json" | node -e '
    let text = ""; process.stdin.on("data", (c) => (text += c)).on("end", () => {
      const doc = JSON.parse(text);
      if (!/^3\./.test(doc.openapi || "") || typeof doc.paths !== "object" || !doc.info) { console.error("not an OpenAPI 3 document"); process.exit(1); }
      console.log(`OpenAPI ${doc.openapi}: ${Object.keys(doc.paths).length} paths`);
    });'
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/no-such-resource")
  [ "$status" = 404 ] || { echo "unknown route answered $status, expected 404"; exit 1; }
  curl -fsS -o /dev/null "$base/api/docs/" || curl -fsS -o /dev/null "$base/api/docs"
  # The first start created the admin from CRM_ADMIN_EMAIL/PASSWORD; every start must let it in.
  token=$(curl -fsS -H 'content-type: application/json' \
    -d "{\"email\":\"$CRM_ADMIN_EMAIL\",\"password\":\"$CRM_ADMIN_PASSWORD\"}" "$base/api/v1/auth/login" \
    | node -e 'let t="";process.stdin.on("data",(c)=>(t+=c)).on("end",()=>process.stdout.write(JSON.parse(t).accessToken))')
  curl -fsS -H "authorization: Bearer $token" "$base/api/v1/me" >/dev/null || { echo "admin login did not reach /me"; exit 1; }
  status=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/users")
  [ "$status" = 401 ] || { echo "anonymous /users answered $status, expected 401"; exit 1; }
  echo "admin login and /me: ok"

  local stop_started=$(date +%s%N)
  kill -INT "$pid"
  local code=0
  wait "$pid" || code=$?
  local elapsed_ms=$(( ($(date +%s%N) - stop_started) / 1000000 ))
  echo "Ctrl-C: exit code $code after ${elapsed_ms} ms"
  [ "$code" = 0 ] || { tail -30 "$log"; exit 1; }
  [ "$elapsed_ms" -lt 10000 ] || { echo "shutdown took longer than 10 s"; exit 1; }
}

run_once
echo "second start on the same data directory"
run_once
rm -rf "$CRM_DATA_DIR"
echo "embedded smoke: ok"
