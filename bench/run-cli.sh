#!/usr/bin/env bash
# CLI speed (docs/benchmarks.md, "CLI"): the same measurements (bench/cli/measure.py) for two builds of parley,
#   build   `dotnet build -c Release` output, run through its apphost (bin/Release/net10.0/parley)
#   r2r     `dotnet publish -r linux-x64 --self-contained false -p:PublishReadyToRun=true` (precompiled code)
# Usage: bench/run-cli.sh            env: RUNS=21 (runs per figure) OUT=file.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-21}
WORK=${WORK:-${TMPDIR:-/tmp}/parley-bench}
OUT=${OUT:-$WORK/cli-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
log() { printf '[bench] %s\n' "$*" >&2; }
mkdir -p "$WORK"
: > "$OUT"

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(uptime | sed 's/.*load/load/')"
dotnet build -c Release -v q -nologo src/Parley.Cli/Parley.Cli.csproj >/dev/null
rm -rf "$WORK/cli-r2r"
dotnet publish -c Release -v q -nologo src/Parley.Cli/Parley.Cli.csproj -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$WORK/cli-r2r" >/dev/null

export RUNS WORK
LABEL=build python3 bench/cli/measure.py src/Parley.Cli/bin/Release/net10.0/parley | tee -a "$OUT" >/dev/null
LABEL=r2r python3 bench/cli/measure.py "$WORK/cli-r2r/parley" | tee -a "$OUT" >/dev/null
log "after: $(uptime | sed 's/.*load/load/')"

python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(line)["summary"] for line in open(sys.argv[1])]
print("| figure (median ms, p90 in brackets) | " + " | ".join(r["label"] for r in rows) + " |")
print("|---|" + "---:|" * len(rows))
names = [("help_ms", "`parley --help`"), ("show_ms", "`parley show` (unlocks the profile)"),
         ("send_ms", "`parley send` end to end"),
         ("chat_terminal_typed_to_shown_ms", "terminal chat: typed -> shown"),
         ("chat_terminal_typed_to_stored_ms", "terminal chat: typed -> relay stored"),
         ("chat_terminal_stored_to_shown_ms", "terminal chat: relay stored -> shown"),
         ("chat_line_typed_to_shown_ms", "line chat: typed -> shown"),
         ("chat_line_stored_to_shown_ms", "line chat: relay stored -> shown")]
for key, name in names:
    print(f"| {name} | " + " | ".join(f"{r[key]['median']} ({r[key]['p90']})" if r.get(key) else "—" for r in rows) + " |")
PY
log "samples: $OUT"
