#!/usr/bin/env bash
# Relay benchmark, every set-up in one run (docs/benchmarks.md, "Relay"):
#   sqlite-1   one `parley server` on SQLite
#   postgres-1 one `parley server --store postgres`
#   postgres-2 two `parley server --store postgres` nodes on the same database, clients split over them
#   pgbench    PostgreSQL alone running the relay's own mailbox statements (the baseline)
# Each set-up runs RUNS times (fresh data each time); the summary prints the median of each figure.
#
# Usage: bench/run-relay.sh            env: RUNS=3 DURATION=20 CLIENTS=20 CONCURRENCY=2 SIZE=256 RATE=0 PGPORT=55470
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DURATION=${DURATION:-20}
CLIENTS=${CLIENTS:-20}
CONCURRENCY=${CONCURRENCY:-2}
SIZE=${SIZE:-256}
RATE=${RATE:-0}
PGPORT=${PGPORT:-55470}
WORK=${WORK:-${TMPDIR:-/tmp}/parley-bench}
OUT=${OUT:-$WORK/relay-$(date -u +%Y%m%dT%H%M%SZ).jsonl}

log() { printf '[bench] %s\n' "$*" >&2; }
mkdir -p "$WORK"
: > "$OUT"

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(uptime | sed 's/.*load/load/')"

for project in src/Parley.Cli/Parley.Cli.csproj bench/Parley.LoadGenerator/Parley.LoadGenerator.csproj; do
  dotnet build -c Release -v q -nologo "$project" >/dev/null || { log "build of $project failed"; exit 1; }
done
PARLEY=src/Parley.Cli/bin/Release/net10.0/parley.dll
LOADGEN=bench/Parley.LoadGenerator/bin/Release/net10.0/parley-loadgen.dll

eval "$(bash .ci/postgres-up "$WORK/pg" "$PGPORT")"
PSQL=("$PARLEY_TEST_PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -v ON_ERROR_STOP=1 -qtA)
conn() { echo "Host=127.0.0.1;Port=$PGPORT;Username=parley;Password=parley;Database=$1"; }
fresh_db() { "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1 OWNER parley" >/dev/null; }

# Limits out of the way (every client is 127.0.0.1); everything else is the relay's default, including the
# operator log line per stored and per delivered envelope (to a file here).
export Parley__Limits__RequestsPerIp=1000000000 Parley__Limits__RequestsPerAccount=1000000000 Parley__Limits__RegistrationsPerIp=1000000000

PIDS=()
start_node() { # name port args…
  local name=$1 port=$2; shift 2
  Parley__Node=$name dotnet "$PARLEY" server --urls "http://127.0.0.1:$port" "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  log "node $name did not come up"; cat "$WORK/$name.log" >&2; exit 1
}
stop_nodes() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap stop_nodes EXIT

loadgen() { # label urls
  local pid_args=()
  for pid in "${PIDS[@]}"; do pid_args+=(--pid "$pid"); done
  dotnet "$LOADGEN" --url "$2" --clients "$CLIENTS" --concurrency "$CONCURRENCY" --size "$SIZE" --rate "$RATE" \
    --duration "$DURATION" --warmup 3 "${pid_args[@]}" --cpu-comm postgres --label "$1" --json | tee -a "$OUT"
}

for run in $(seq 1 "$RUNS"); do
  log "run $run/$RUNS: sqlite-1"
  rm -rf "$WORK/sqlite"
  start_node s1 18101 --data "$WORK/sqlite"
  loadgen sqlite-1 http://127.0.0.1:18101
  stop_nodes

  log "run $run/$RUNS: postgres-1"
  fresh_db parley_bench
  start_node p1 18111 --store postgres --postgres "$(conn parley_bench)"
  loadgen postgres-1 http://127.0.0.1:18111
  stop_nodes

  log "run $run/$RUNS: postgres-2"
  fresh_db parley_bench
  start_node p1 18111 --store postgres --postgres "$(conn parley_bench)"
  start_node p2 18112 --store postgres --postgres "$(conn parley_bench)"
  loadgen postgres-2 http://127.0.0.1:18111,http://127.0.0.1:18112
  stop_nodes

  log "run $run/$RUNS: pgbench (the relay's statements on PostgreSQL alone)"
  fresh_db parley_pgbench
  start_node schema 18121 --store postgres --postgres "$(conn parley_pgbench)"   # applies the relay's migrations
  stop_nodes
  "$PARLEY_TEST_PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U parley -d parley_pgbench -v ON_ERROR_STOP=1 -qtA -f bench/pgbench/setup.sql >/dev/null
  for script in mailbox-send mailbox-send-no-notify mailbox-send-notify-after mailbox-deliver; do
    tps=$(PGPASSWORD=parley "$PARLEY_TEST_PGBIN/pgbench" -h 127.0.0.1 -p "$PGPORT" -U parley -n -c $((CLIENTS * CONCURRENCY)) -j 2 \
      -T "$DURATION" -f "bench/pgbench/$script.sql" parley_pgbench 2>/dev/null | awk '/^tps/ {print $3; exit}')
    echo "{\"label\":\"pgbench-$script\",\"transactionsPerSecond\":$tps}" | tee -a "$OUT"
  done
done

log "results: $OUT"
log "load after: $(uptime | sed 's/.*load/load/')"
python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
def med(label, key):
    values = [r[key] for r in rows if r["label"] == label and r.get(key) is not None]
    return statistics.median(values) if values else float("nan")
print(f"{'set-up':<24}{'delivered/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'relay CPU %':>13}{'postgres CPU %':>16}{'runs':>6}")
for label in ["sqlite-1", "postgres-1", "postgres-2"]:
    cpu = statistics.median(sum(r["relayCpuPercent"]) for r in rows if r["label"] == label)
    print(f"{label:<24}{med(label,'deliveredPerSecond'):>12.0f}{med(label,'p50Ms'):>9.1f}{med(label,'p99Ms'):>9.1f}{cpu:>13.0f}{med(label,'namedCpuPercent'):>16.0f}{sum(r['label']==label for r in rows):>6}")
for label in ["pgbench-mailbox-send", "pgbench-mailbox-send-no-notify", "pgbench-mailbox-send-notify-after", "pgbench-mailbox-deliver"]:
    print(f"{label:<24}{med(label,'transactionsPerSecond'):>12.0f}  (transactions/s: sends, or send+read+ack per message)")
PY
