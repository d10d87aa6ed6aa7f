#!/usr/bin/env bash
# Protocol benchmarks, Parley and libsignal in the same run, as docs/benchmarks.md quotes them:
# builds Release, runs bench/Parley.Benchmarks (BenchmarkDotNet) and bench/libsignal/bench.mjs over libsignal 0.90.0
# (interop/'s pin) and 0.103.0 (bench/libsignal's pin, SPQR required), in Node, records the machine and its load, and
# prints one Markdown report (also saved under the output directory) with the goal table of the protocol core.
#
#   bench/run-protocol.sh [--quick]          # --quick: a pipeline check with very few iterations; not for quoting
#
# Output directory: $PARLEY_BENCH_OUT, default artifacts/bench-protocol/<UTC time> (artifacts/ is git-ignored).
# Rounds: $PARLEY_BENCH_ROUNDS (default 2) alternating rounds of both halves, splitting 15 iterations between them.
# Takes about 7 minutes on a 2-core machine at load average 1-5.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=()
if [[ "${1:-}" == "--quick" ]]; then
  quick=(--quick)
elif [[ $# -gt 0 ]]; then
  echo "usage: bench/run-protocol.sh [--quick]" >&2
  exit 2
fi

out="${PARLEY_BENCH_OUT:-$root/artifacts/bench-protocol/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
started=$(date +%s)
log() { echo "[run-protocol] $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

machine="$out/machine.txt"
{
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ' (with uncommitted changes)')"
  echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc)"
  echo "RAM: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); OS: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
  echo ".NET SDK $(dotnet --version); Node $(node --version); libsodium $(dpkg-query -W -f='${Version}' libsodium23 2>/dev/null || echo unknown)"
  echo "Load average (1/5/15 min) at start: $(load)"
} > "$machine"
cat "$machine" >&2

for dir in interop bench/libsignal; do
  if [[ ! -d $dir/node_modules/@signalapp/libsignal-client ]]; then
    log "installing $dir/ (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund >&2)
  fi
done

log "building Release"
dotnet build bench/Parley.Benchmarks -c Release -nologo -v quiet >&2
dotnet build src/Parley.Cli -c Release -nologo -v quiet >&2

# Alternating rounds (Parley, libsignal, then libsignal, Parley, …) so that a load that drifts during the run weighs
# on both sides alike; each round measures ceil(15 / rounds) iterations or batches, and the report takes the median
# over all rounds' samples.
rounds="${PARLEY_BENCH_ROUNDS:-2}"
[[ ${#quick[@]} -gt 0 ]] && rounds=1
per_round=$(( (15 + rounds - 1) / rounds ))
iterations=(--iterations "$per_round")
batches=(--batches "$per_round")
if [[ ${#quick[@]} -gt 0 ]]; then iterations=(); batches=(); fi

run_parley() {
  log "round $1: Parley (BenchmarkDotNet) -> $out/parley-$1.log"
  rm -rf "$out/bdn-$1"
  dotnet bench/Parley.Benchmarks/bin/Release/net10.0/Parley.Benchmarks.dll --filter '*' --artifacts "$out/bdn-$1" \
    "${iterations[@]}" "${quick[@]}" > "$out/parley-$1.log" 2>&1 \
    || { tail -50 "$out/parley-$1.log" >&2; exit 1; }
  echo "Load average after Parley, round $1: $(load)" >> "$machine"
}

# One half is both libsignal releases: 0.90.0 (interop/, sessions against Parley and against itself) and 0.103.0.
run_libsignal() {
  local install name
  for install in interop bench; do
    name="libsignal-$install-$1"
    log "round $1: libsignal from $install (Node) -> $out/$name.log"
    node --expose-gc bench/libsignal/bench.mjs --parley-dll src/Parley.Cli/bin/Release/net10.0/parley.dll \
      --libsignal "$install" --out "$out/$name.json" "${batches[@]}" "${quick[@]}" 2> "$out/$name.log" \
      || { tail -50 "$out/$name.log" >&2; exit 1; }
  done
  echo "Load average after libsignal, round $1: $(load)" >> "$machine"
}

parley_dirs=()
libsignal_files=()
for round in $(seq 1 "$rounds"); do
  if (( round % 2 == 1 )); then run_parley "$round"; run_libsignal "$round"; else run_libsignal "$round"; run_parley "$round"; fi
  parley_dirs+=(--parley "$out/bdn-$round/results")
  libsignal_files+=(--libsignal "$out/libsignal-interop-$round.json" --libsignal-next "$out/libsignal-bench-$round.json")
done

elapsed=$(( $(date +%s) - started ))
echo "Run time: $((elapsed / 60)) min $((elapsed % 60)) s${quick:+ (--quick: pipeline check only, not for quoting)}" >> "$machine"
record_bytes=$(grep -m1 -o 'session record: [0-9]*' "$out/parley-1.log" | grep -o '[0-9]*$' || true)

node bench/libsignal/report.mjs "${parley_dirs[@]}" "${libsignal_files[@]}" --machine "$machine" \
  --command "bench/run-protocol.sh${quick:+ --quick}" ${record_bytes:+--parley-record-bytes "$record_bytes"} > "$out/report.md"
cat "$out/report.md"
log "saved in $out"
