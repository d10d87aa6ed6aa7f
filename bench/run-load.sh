#!/usr/bin/env bash
# Load benchmark in one run (docs/benchmarks.md, "Relay" → "Load: parley server against a bare relay"):
#   bare    bench/Parley.BareRelay: in-memory Kestrel WebSocket forwarder, no auth, no storage (the transport's limit)
#   sqlite  `parley server` with its defaults (SQLite, fresh data folder), rate limits lifted (all clients are 127.0.0.1)
# For each: idle memory per connection (RSS in steps), throughput with 1 and 16 messages in flight per connection,
# latency at LATENCY_CLIENTS clients paced to RATE msg/s in total, relay CPU per message. Prints a summary and
# writes JSON lines (one per measurement) to OUT.
#
# Usage: bench/run-load.sh
#   env: DURATION=10 WARMUP=10 CLIENTS=100 SIZE=100 LATENCY_CLIENTS=1000 RATE=10000 LOW_RATE=300 STEPS=1000,10000 SETTLE=5
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CLIENTS=${CLIENTS:-100}
SIZE=${SIZE:-100}
LATENCY_CLIENTS=${LATENCY_CLIENTS:-1000}
RATE=${RATE:-10000}
LOW_RATE=${LOW_RATE:-300}
STEPS=${STEPS:-1000,10000}
SETTLE=${SETTLE:-5}
WORK=${WORK:-${TMPDIR:-/tmp}/parley-load}
OUT=${OUT:-$WORK/load-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
BARE_PORT=18401
RELAY_PORT=18402

log() { printf '[load] %s\n' "$*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
mkdir -p "$WORK"
: > "$OUT"

max_step=$(tr ',' '\n' <<< "$STEPS" | sort -n | tail -1)
if (( $(ulimit -n) < max_step + 1000 )); then
  log "ulimit -n is $(ulimit -n): too few descriptors for $max_step connections"; exit 1
fi
read -r port_low port_high < /proc/sys/net/ipv4/ip_local_port_range
if (( port_high - port_low < max_step + 2 * LATENCY_CLIENTS )); then
  log "ephemeral ports $port_low-$port_high: too few for $max_step connections"; exit 1
fi

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, .NET $(dotnet --version)"
log "machine: $machine; load $(loadavg); ulimit -n $(ulimit -n); ephemeral ports $port_low-$port_high"
printf '{"label":"machine","machine":"%s","loadStart":"%s"}\n' "$machine" "$(loadavg)" >> "$OUT"

for project in src/Parley.Cli/Parley.Cli.csproj bench/Parley.LoadGenerator/Parley.LoadGenerator.csproj bench/Parley.BareRelay/Parley.BareRelay.csproj; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null || { log "build of $project failed"; exit 1; }
done
PARLEY=src/Parley.Cli/bin/Release/net10.0/parley.dll
LOADGEN=bench/Parley.LoadGenerator/bin/Release/net10.0/parley-loadgen.dll
BARE=bench/Parley.BareRelay/bin/Release/net10.0/parley-bare-relay.dll

# Every client is 127.0.0.1: lift the per-IP and per-account rate limits (10,000 registrations in a minute).
# Everything else is the relay's default, including MaxConcurrentConnections = 10,000 and the operator log line
# per stored and per delivered envelope (to a file here).
export Parley__Limits__RequestsPerIp=1000000000 Parley__Limits__RequestsPerAccount=1000000000 Parley__Limits__RegistrationsPerIp=1000000000

PID_=""
start() { # name port command…
  local name=$1 port=$2; shift 2
  "$@" > "$WORK/$name.log" 2>&1 &
  PID_=$!
  for _ in $(seq 1 300); do
    # Any HTTP answer means it listens (the bare relay answers /v1/health with 404).
    curl -s -o /dev/null "http://127.0.0.1:$port/v1/health" 2>/dev/null && return 0
    sleep 0.2
  done
  log "$name did not come up"; cat "$WORK/$name.log" >&2; exit 1
}
stop() {
  [[ -n "$PID_" ]] || return 0
  kill "$PID_" 2>/dev/null || true
  wait "$PID_" 2>/dev/null || true
  PID_=""
}
trap stop EXIT

loadgen() { # label args…
  local label=$1; shift
  log "$label (load $(loadavg))"
  dotnet "$LOADGEN" --pid "$PID_" --size "$SIZE" --duration "$DURATION" --warmup "$WARMUP" --until delivered --label "$label" --json "$@" | tee -a "$OUT"
}
idle() { # label args…
  local label=$1; shift
  log "$label: idle connections in steps $STEPS (load $(loadavg))"
  dotnet "$LOADGEN" --mode idle --pid "$PID_" --steps "$STEPS" --settle "$SETTLE" --label "$label" --json "$@" | tee -a "$OUT"
}

BARE_URL=http://127.0.0.1:$BARE_PORT
RELAY_URL=http://127.0.0.1:$RELAY_PORT

# Bare relay. Idle memory on a fresh process, then the load runs on another fresh one.
start bare $BARE_PORT dotnet "$BARE" --urls "$BARE_URL"
idle bare-idle --target bare --url "$BARE_URL"
stop
start bare $BARE_PORT dotnet "$BARE" --urls "$BARE_URL"
loadgen bare-ws-k1 --target bare --send ws --url "$BARE_URL" --clients "$CLIENTS" --concurrency 1
loadgen bare-ws-k16 --target bare --send ws --url "$BARE_URL" --clients "$CLIENTS" --concurrency 16
loadgen bare-http-k1 --target bare --send http --url "$BARE_URL" --clients "$CLIENTS" --concurrency 1
loadgen bare-ws-latency --target bare --send ws --url "$BARE_URL" --clients "$LATENCY_CLIENTS" --concurrency 1 --rate "$RATE"
stop

# parley server on SQLite, fresh data folder. The accounts are registered first and the relay restarted, so that
# the idle figure is the streams' memory, not what registering left behind in the heap.
rm -rf "$WORK/sqlite" "$WORK/accounts.txt"
start relay $RELAY_PORT dotnet "$PARLEY" server --data "$WORK/sqlite" --urls "$RELAY_URL"
log "registering $max_step accounts (load $(loadavg))"
started=$(date +%s%N)
dotnet "$LOADGEN" --mode register --url "$RELAY_URL" --clients "$max_step" --accounts "$WORK/accounts.txt"
ms=$(( ($(date +%s%N) - started) / 1000000 ))
printf '{"label":"sqlite-register","accounts":%d,"seconds":%d.%01d}\n' "$max_step" $((ms / 1000)) $((ms % 1000 / 100)) | tee -a "$OUT"
stop
start relay $RELAY_PORT dotnet "$PARLEY" server --data "$WORK/sqlite" --urls "$RELAY_URL"
idle sqlite-idle --url "$RELAY_URL" --accounts "$WORK/accounts.txt"
stop
# Each load run on a fresh relay process (same data): a saturated run leaves a long WAL and unacknowledged
# envelopes behind, which would weigh on the next run; the warm-up covers the JIT.
sqlite_run() { # label clients concurrency rate
  start relay $RELAY_PORT dotnet "$PARLEY" server --data "$WORK/sqlite" --urls "$RELAY_URL"
  loadgen "$1" --url "$RELAY_URL" --accounts "$WORK/accounts.txt" --clients "$2" --concurrency "$3" --rate "$4"
  stop
}
sqlite_run sqlite-k1 "$CLIENTS" 1 0
sqlite_run sqlite-k16 "$CLIENTS" 16 0
sqlite_run sqlite-latency "$LATENCY_CLIENTS" 1 "$RATE"
sqlite_run sqlite-latency-low "$LATENCY_CLIENTS" 1 "$LOW_RATE"

printf '{"label":"machine-end","loadEnd":"%s"}\n' "$(loadavg)" >> "$OUT"
log "results: $OUT"
log "load after: $(loadavg)"
python3 - "$OUT" "$RATE" <<'PY'
import json, sys
rows = {r["label"]: r for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()) if r.get("mode") != "idle"}
idle = [r for r in (json.loads(l) for l in open(sys.argv[1]) if l.strip()) if r.get("mode") == "idle"]
rate = float(sys.argv[2])
print(f"machine: {rows['machine']['machine']}; load average {rows['machine']['loadStart']} at the start, {rows['machine-end']['loadEnd']} at the end")
print(f"{'run':<20}{'clients':>8}{'in flight':>10}{'rate':>7}{'delivered/s':>12}{'p50 ms':>8}{'p99 ms':>8}{'relay CPU %':>12}{'µs/msg':>8}{'loadgen %':>10}{'failed':>7}{'lost':>5}")
for label, r in rows.items():
    if r.get("mode") != "load":
        continue
    print(f"{label:<20}{r['clients']:>8}{r['concurrency']:>10}{r['targetRate']:>7.0f}{r['deliveredPerSecond']:>12.0f}{r['p50Ms']:>8.2f}{r['p99Ms']:>8.2f}"
          f"{r['relayCpuPercent'][0]:>12.0f}{r['relayCpuUsPerMessage'] or float('nan'):>8.0f}{r['loadGeneratorCpuPercent']:>10.0f}{r['failed']:>7}{r['lost']:>5}")
print(f"{'idle':<20}{'connections':>12}{'open':>7}{'RSS MiB':>9}{'B/conn':>8}{'anon B/conn':>12}{'marginal B/conn':>16}")
for r in idle:
    print(f"{r['label']:<20}{r['connections']:>12}{r['open']:>7}{r['rssBytes']/2**20:>9.0f}{r['bytesPerConnection']:>8}{r['anonBytesPerConnection']:>12}{r['marginalBytesPerConnection']:>16}")
if "sqlite-register" in rows:
    print(f"registration: {rows['sqlite-register']['accounts']} accounts in {rows['sqlite-register']['seconds']} s")

def ratio(a, b):
    return rows[a]["deliveredPerSecond"] / rows[b]["deliveredPerSecond"]
sq_idle = {r["connections"]: r for r in idle if r["label"] == "sqlite-idle"}
top = max(sq_idle)
lat = rows["sqlite-latency"]
goals = [
    ("throughput ≥ 0.5 × bare, 1 in flight", f"{ratio('sqlite-k1', 'bare-ws-k1'):.3f} ×", ratio('sqlite-k1', 'bare-ws-k1') >= 0.5),
    ("throughput ≥ 0.5 × bare, 16 in flight", f"{ratio('sqlite-k16', 'bare-ws-k16'):.3f} ×", ratio('sqlite-k16', 'bare-ws-k16') >= 0.5),
    (f"p99 < 10 ms, {lat['clients']} clients at {rate:.0f} msg/s", f"p99 {lat['p99Ms']:.0f} ms at {lat['deliveredPerSecond']:.0f} msg/s",
     lat["p99Ms"] < 10 and lat["deliveredPerSecond"] >= 0.95 * rate),
    ("≤ 16 KiB per idle connection", f"{sq_idle[top]['bytesPerConnection'] / 1024:.1f} KiB at {top}", sq_idle[top]["bytesPerConnection"] <= 16384),
    ("10,000 connections on one process", f"{sq_idle[top]['open']} open", sq_idle[top]["open"] >= 10000),
]
print(f"{'goal':<44}{'reached':<34}result")
for goal, reached, met in goals:
    print(f"{goal:<44}{reached:<34}{'met' if met else 'short'}")
PY
