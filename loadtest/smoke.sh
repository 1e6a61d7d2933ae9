#!/usr/bin/env bash
# Short headless Locust run against an already running deployment; starts nothing itself.
#
#   MCP_TOKEN=<sandbox token> loadtest/smoke.sh http://127.0.0.1:8080 [out-dir]
#   loadtest/smoke.sh http://127.0.0.1:8080 [out-dir]     # AUTH_MODE=oauth: users sign in (sandbox IdP)
#
# Env: SMOKE_SECONDS (default 20), SMOKE_USERS (5), SMOKE_SPAWN_RATE (5), MCP_THINK_TIME ("0.1,0.5").
# Writes <out-dir>/smoke_stats.csv (Locust) and <out-dir>/smoke_summary.json
# ({requests, failures, p50_ms, p95_ms}); exits non-zero on any failure or when nothing was sent.
set -euo pipefail

host="${1:?usage: smoke.sh <base-url> [out-dir]}"
out="${2:-$(mktemp -d -t m365-smoke.XXXXXX)}"
here="$(cd "$(dirname "$0")" && pwd)"

if ! command -v locust >/dev/null 2>&1; then
  echo "smoke: locust is not installed (apt-get install -y python3-locust)" >&2
  exit 127
fi

mkdir -p "$out"
export MCP_THINK_TIME="${MCP_THINK_TIME:-0.1,0.5}"

set +e
locust -f "$here/locustfile.py" --headless --only-summary --loglevel WARNING \
  --host "$host" \
  --users "${SMOKE_USERS:-5}" --spawn-rate "${SMOKE_SPAWN_RATE:-5}" \
  --run-time "${SMOKE_SECONDS:-20}s" --stop-timeout 5 \
  --csv "$out/smoke" --exit-code-on-error 1
locust_rc=$?
set -e

# Summarize the Aggregated row for callers (CI, the test suite) and fail on an empty run.
python3 - "$out" "$locust_rc" <<'PY'
import csv, json, sys
out, locust_rc = sys.argv[1], int(sys.argv[2])
with open(f"{out}/smoke_stats.csv", newline="") as f:
    rows = list(csv.DictReader(f))
total = next((r for r in rows if r["Name"] == "Aggregated"), None)
if total is None:
    sys.exit("smoke: no Aggregated row in smoke_stats.csv")
summary = {
    "requests": int(total["Request Count"]),
    "failures": int(total["Failure Count"]),
    "p50_ms": float(total["50%"]) if total["50%"] not in ("", "N/A") else None,
    "p95_ms": float(total["95%"]) if total["95%"] not in ("", "N/A") else None,
    "by_name": {r["Name"]: {"requests": int(r["Request Count"]), "failures": int(r["Failure Count"]), "p95_ms": r["95%"]} for r in rows if r["Name"] != "Aggregated"},
}
with open(f"{out}/smoke_summary.json", "w") as f:
    json.dump(summary, f, indent=2)
print(f"smoke: {summary['requests']} requests, {summary['failures']} failures, p95 {summary['p95_ms']} ms ({out})")
if summary["requests"] == 0:
    sys.exit("smoke: no request was sent")
if summary["failures"] > 0 or locust_rc != 0:
    sys.exit(f"smoke: failed (locust exit {locust_rc}); see {out}/smoke_failures.csv")
PY
