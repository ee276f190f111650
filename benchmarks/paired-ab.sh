#!/usr/bin/env bash
# Side-by-side comparison of agent jars on one paired JMH benchmark: forks alternate between the jars,
# round after round, so that a drifting shared VM slows each jar's forks alike, and each jar's
# iterations are summed up at the end. A difference between two jars is only worth reading against
# the same script run with one jar given twice (an A/A run): on the machine of docs/PERFORMANCE.md
# single rounds of the same jar differ by up to 20 ns, the medians of 20 iterations by 1-2 ns.
#
# Builds nothing: run `mvn -q -o package` in benchmarks/ and build the jars first.
#
# Usage:   benchmarks/paired-ab.sh BENCHMARK JAR [JAR ...]
#   BENCHMARK  a paired benchmark run with the agent, e.g. TaskRecordingBenchmark.pairedWithAgent,
#              TaskRecordingBenchmark.pairedWithAgentDemo, EnqueueBenchmark.submitPairedWithAgent
# Env:     ROUNDS (default 5: forks per jar); JAVA (default java: the launcher and the forks' JVM);
#          JVM_OPTS: more options for the forks, which then replace the benchmark's own
#          -Dconductor.* options, so repeat those (e.g. -Dconductor.bench.agent=conductor-bench
#          -Dconductor.agent.drain_interval_ms=10 for pairedWithAgent)
# Output:  one line per iteration as it comes (jar, added ns by the means, exporter CPU per call),
#          then per jar: iterations, the median and spread of the added ns, the median exporter CPU.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"
[[ $# -ge 2 ]] || { sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2; }
benchmark=$1
shift
jars=()
for jar in "$@"; do
  [[ -f $jar ]] || { echo "no agent jar $jar" >&2; exit 1; }
  jars+=("$(realpath "$jar")")
done
rounds=${ROUNDS:-5}
java=${JAVA:-java}
bench_jar=$here/target/benchmarks.jar
[[ -f $bench_jar ]] || { echo "no $bench_jar: run mvn -q -o package in benchmarks/ first" >&2; exit 1; }

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((round = 1; round <= rounds; round++)); do
  for i in "${!jars[@]}"; do
    jar=${jars[$i]}
    opts=()
    [[ -n ${JVM_OPTS:-} ]] && opts=(-jvmArgsAppend "$JVM_OPTS")
    # Each iteration's line: "... exporter CPU <n> ns/call ... unmonitored <u> ns, added <x> ns; ..."
    "$java" -Dconductor.agent.jar="$jar" -jar "$bench_jar" "$benchmark\$" -jvm "$(command -v "$java")" \
      -f 1 -wi 3 -i 4 -w 1s -r 1s -prof dev.conductor.benchmarks.AgentForkProfiler "${opts[@]}" 2>&1 \
      | grep -E '^Iteration' \
      | sed -E 's/.*exporter CPU ([0-9]+) ns\/call.*unmonitored [0-9.]+ ns, added ([0-9.]+) ns;.*/\2 \1/' \
      | while read -r added cpu; do
          echo "$i $added $cpu" >>"$results"
          printf 'round %d  jar %d (%s)  added %6.1f ns  exporter %5d ns/call\n' \
            "$round" "$((i + 1))" "$(basename "$jar")" "$added" "$cpu"
        done
  done
done

echo
for i in "${!jars[@]}"; do
  added=$(awk -v j="$i" '$1 == j { print $2 }' "$results")
  count=$(grep -c . <<<"$added" || true)
  [[ $count -gt 0 ]] || { echo "jar $((i + 1)): no iterations (see the fork's output)"; continue; }
  printf 'jar %d (%s): %d iterations, added ns median %s (%s to %s), exporter CPU median %s ns/call\n' \
    "$((i + 1))" "$(basename "${jars[$i]}")" "$count" \
    "$(median_of <<<"$added")" "$(sort -g <<<"$added" | head -1)" "$(sort -g <<<"$added" | tail -1)" \
    "$(awk -v j="$i" '$1 == j { print $3 }' "$results" | median_of)"
done
