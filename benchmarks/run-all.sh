#!/usr/bin/env bash
# Runs the JMH benchmarks of target/benchmarks.jar one by one, each in its own JMH invocation, with
# the settings of docs/PERFORMANCE.md, and prints a summary table. Builds nothing: run
# `mvn -q -o package` in benchmarks/ (and build the agent jar) first.
#
# Usage:  benchmarks/run-all.sh [agent-jar] [benchmark-regex]
#   agent-jar        default: ../agent/target/conductor-agent.jar next to this script
#   benchmark-regex  default: all (as `java -jar benchmarks.jar -l` lists them); a Java regex
#                    matched anywhere in the full name, e.g. 'paired' or '^(?!.*paired)'
#
# docs/PERFORMANCE.md ran it twice:
#   WAIT_IDLE=1 benchmarks/run-all.sh <agent-jar> '^(?!.*paired)'
#   WAIT_IDLE=1 JMH_OPTS='-f 3 -wi 3 -i 5 -w 1s -r 1s -prof gc' benchmarks/run-all.sh <agent-jar> paired
# Env:    JMH_OPTS   default: -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
#         JAVA       default: java
#         WAIT_IDLE  1: before each benchmark wait until no other process has used more than 10% of
#                    a CPU for 20 s, and run a benchmark again (up to 3 tries) when another process
#                    did during it. For shared machines; the figures are only comparable when
#                    nothing else runs.
#         RESULTS    default: target/results (a directory per run keeps repeated runs apart)
# Output: $RESULTS/<benchmark>.txt and .json, and the summary on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
agent_jar=$(realpath "${1:-$here/../agent/target/conductor-agent.jar}")
regex=${2:-.}
java=${JAVA:-java}
opts=${JMH_OPTS:--f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc}
jar=$here/target/benchmarks.jar
out=${RESULTS:-$here/target/results}
mkdir -p "$out"
[[ -f $jar ]] || { echo "no $jar: run mvn -q -o package in benchmarks/ first" >&2; exit 1; }
[[ -f $agent_jar ]] || { echo "no agent jar $agent_jar" >&2; exit 1; }

# Lines "pid cpu% command" of processes above 10% CPU over 2 s that are not this run's.
foreign_cpu() {
  top -b -c -d 2 -n 2 -w 512 \
    | awk 'BEGIN { s = 0 } /^top -/ { s++ } s == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 10 {
             c = ""; for (i = 12; i <= NF; i++) c = c " " $i; print $1, $9 "%", c }' \
    | grep -v -F -e 'benchmarks.jar' -e 'ForkedMain' -e 'top -b' -e "-Dconductor.agent.jar=$agent_jar" || true
}

wait_idle() {
  local quiet=0
  while ((quiet < 10)); do
    if [[ -z $(foreign_cpu) ]]; then quiet=$((quiet + 1)); else quiet=0; fi
  done
}

cd "$here"
mapfile -t benchmarks < <("$java" -jar "$jar" -l "$regex" | grep '^dev\.')
echo "agent jar: $agent_jar ($(sha256sum "$agent_jar" | cut -c1-12))"
echo "JMH:       $java -Dconductor.agent.jar=... -jar target/benchmarks.jar '<benchmark>\$' $opts -prof dev.conductor.benchmarks.AgentForkProfiler"
for benchmark in "${benchmarks[@]}"; do
  name=${benchmark#dev.conductor.benchmarks.}
  for try in 1 2 3; do
    [[ ${WAIT_IDLE:-0} == 1 ]] && wait_idle
    disturbed=$out/$name.disturbed
    : > "$disturbed"
    if [[ ${WAIT_IDLE:-0} == 1 ]]; then
      (while true; do foreign_cpu >> "$disturbed"; done) &
      watcher=$!
    fi
    # shellcheck disable=SC2086
    "$java" -Dconductor.agent.jar="$agent_jar" -jar "$jar" "$benchmark\$" $opts \
      -prof dev.conductor.benchmarks.AgentForkProfiler \
      -rf json -rff "$out/$name.json" > "$out/$name.txt" 2>&1 || true
    if [[ ${WAIT_IDLE:-0} == 1 ]]; then
      kill "$watcher" 2> /dev/null || true
      wait "$watcher" 2> /dev/null || true
    fi
    if [[ ! -s $disturbed ]]; then
      rm -f "$disturbed"
      break
    fi
    echo "$name: disturbed by another process (try $try), see $disturbed" >&2
  done
done

# Means over the measurement iterations of what the forks print themselves (TaskRecordingBenchmark,
# RecordingPiecesBenchmark, EnqueueBenchmark, ExecutorBenchmark): bytes allocated by the benchmark
# thread alone per call, and the share of calls (of events, for ExecutorBenchmark) the agent
# dropped, and for the paired variants the mean added time of a monitored call over an unmonitored
# one (ns), with the lowest and highest iteration; for ExecutorBenchmark, which has no twin in its
# fork, the mean timed execute and worker gap instead (compare them across forks).
fork_means() {
  grep '^Iteration' "$1" | awk '
    function keep(v, k) { sum[k] += v; n[k]++
      if (n[k] == 1 || v < lo[k]) lo[k] = v
      if (n[k] == 1 || v > hi[k]) hi[k] = v }
    function show(k) { return sprintf("%.1f [%.0f..%.0f]", sum[k] / n[k], lo[k], hi[k]) }
    match($0, /bytes\/call [0-9.]+/) { b += substr($0, RSTART + 11, RLENGTH - 11); nb++ }
    match($0, /dropped [0-9]+ \([0-9.]+%\)/) { d = substr($0, RSTART, RLENGTH); sub(/.*\(/, "", d); sub(/%\)/, "", d); s += d; nd++ }
    match($0, /added -?[0-9.]+ ns/) { keep(substr($0, RSTART + 6, RLENGTH - 9) + 0, "added") }
    match($0, /timed execute: mean [0-9.]+/) { keep(substr($0, RSTART + 20, RLENGTH - 20) + 0, "execute") }
    match($0, /worker gap: mean [0-9.]+/) { keep(substr($0, RSTART + 17, RLENGTH - 17) + 0, "gap") }
    END { printf "%s\t%s\t%s", (nb ? sprintf("%.3f", b / nb) : "-"), (nd ? sprintf("%.1f%%", s / nd) : "-"),
                 (n["added"] ? show("added") : n["execute"] ? "execute " show("execute") ", worker gap " show("gap") : "-") }'
}

echo
printf '%-50s %10s %8s %10s %10s %8s  %s\n' "Benchmark" "ns/op" "error" "B/op(gc)" "B/op(thr)" "dropped" "paired: added ns [min..max]"
for benchmark in "${benchmarks[@]}"; do
  name=${benchmark#dev.conductor.benchmarks.}
  json=$out/$name.json
  if [[ ! -s $json ]] || [[ $(jq length "$json") == 0 ]]; then
    printf '%-55s %12s\n' "$name" "FAILED (see $out/$name.txt)"
    continue
  fi
  means=$(fork_means "$out/$name.txt")
  jq -r '.[0] | [.benchmark, .primaryMetric.score, .primaryMetric.scoreError,
                 (.secondaryMetrics["gc.alloc.rate.norm"].score // "n/a")] | @tsv' "$json" \
    | awk -F'\t' -v n="$name" -v m="$means" 'BEGIN { split(m, f, "\t") } {
        printf "%-50s %10.2f %8.2f %10s %10s %8s  %s\n", n, $2, $3,
          ($4 == "n/a" ? $4 : sprintf("%.3f", $4)), f[1], f[2], f[3] }'
done
