#!/usr/bin/env bash
# Startup cost of the agent: wall time of a hello-world JVM without and with
# -javaagent:conductor-agent.jar (a demo-like config with one task point on a class of the app).
# Two more rows split the agent's cost: the agent with a config without any point and without
# HTTP endpoints, and with the one task point but without HTTP endpoints.
#
# Builds nothing with Maven: it takes an agent jar that already exists and compiles the tiny app
# in src/startup/ with javac into target/startup/. Runs the commands in turn, round after round
# (3 warm-up rounds, then $RUNS), timed with date +%s%N, and prints each one's median; with
# HYPERFINE=1 hyperfine times all runs of one command, then the next, which a drifting shared VM
# skews by tens of milliseconds.
#
# Usage:   benchmarks/startup.sh [agent-jar] [java ...]
#   agent-jar  default: ../agent/target/conductor-agent.jar next to this script
#   java ...   JVMs to compare, default: java and /usr/lib/jvm/temurin-25-jdk-amd64/bin/java
# Env:     RUNS (default 20); HYPERFINE=1; BASELINE_JAR=<another agent jar> adds its runs, in
#          turn with the others, for a side-by-side comparison of two builds
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"
agent_jar_from_arg "${1:-}"
shift || true
if [[ $# -gt 0 ]]; then
  javas=("$@")
else
  javas=(java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
fi
runs=${RUNS:-20}
out=$here/target/startup
mkdir -p "$out/classes"

javac --release 17 -d "$out/classes" "$here/src/startup/hello/Hello.java"

# Like config/examples/conductor-demo.yaml: both HTTP endpoints on (on free ports, so that runs
# never collide), one task point with the demo's labels.
config=$out/conductor-startup.yaml
cat > "$config" <<'YAML'
metrics:
  api_port: 0
  prometheus_port: 0

instrumentation:
  tasks:
    - type: hello.Worker
      method: execute
      labels:
        task_type: arg0.type
        task_id: arg0.id
        agent_id: this.id
        priority: arg0.priority
      status: return.status
YAML
# The breakdown configs.
bare=$out/conductor-startup-bare.yaml
cat > "$bare" <<'YAML'
metrics:
  api_enabled: false
  prometheus_enabled: false
YAML
nohttp=$out/conductor-startup-nohttp.yaml
{ cat "$bare"; sed -n '/^instrumentation:/,$p' "$config"; } > "$nohttp"

echo "agent jar: $agent_jar ($(sha256sum "$agent_jar" | cut -c1-12))"
echo "machine:   $(nproc) cores, $(uname -sr)"
echo "runs:      $runs per command"
echo


# Runs the commands (strings, split on spaces) in turn, 3 warm-up rounds then $runs rounds, and prints
# the median of each, one per line. Taking turns matters on a shared VM whose speed drifts by tens of
# percent within minutes: timing all runs of one command, then all of the next, measures the drift.
interleaved_medians() {
  local dir i round start end command
  dir=$(mktemp -d)
  for ((round = -3; round < runs; round++)); do
    i=0
    for command in "$@"; do
      start=$(date +%s%N)
      # A start that hangs is a bug to report, not a run to wait for.
      if timeout 120 $command > /dev/null 2>&1; [[ $? == 124 ]]; then
        echo "did not finish within 120 s: $command" >&2
        exit 1
      fi
      end=$(date +%s%N)
      if ((round >= 0)); then echo $((end - start)) >> "$dir/$i"; fi
      i=$((i + 1))
    done
  done
  for ((i = 0; i < $#; i++)); do median_of 1e6 < "$dir/$i"; echo; done
  rm -rf "$dir"
}

printf '%-52s %10s %12s %10s   %s\n' "JVM" "no agent" "with agent" "added" "agent: no points, no HTTP | 1 point, no HTTP"
for java in "${javas[@]}"; do
  version=$("$java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  plain=("$java" -cp "$out/classes" hello.Hello)
  agent=("$java" "-javaagent:$agent_jar=config=$config" -cp "$out/classes" hello.Hello)
  agent_bare=("$java" "-javaagent:$agent_jar=config=$bare" -cp "$out/classes" hello.Hello)
  agent_nohttp=("$java" "-javaagent:$agent_jar=config=$nohttp" -cp "$out/classes" hello.Hello)

  # Refuse to time the agent run unless the agent really starts and records the call.
  check=$("${agent[@]}" --check 2>&1 || true)
  if ! grep -q '^agent: on, events pending [1-9]' <<< "$check" || grep -q 'ERROR' <<< "$check"; then
    echo "the agent did not start or record on $java:" >&2
    echo "$check" >&2
    exit 1
  fi
  if ! "${plain[@]}" --check 2>&1 | grep -q '^agent: off'; then
    echo "the plain run has the agent on $java" >&2
    exit 1
  fi

  name=$(basename "$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")")
  if [[ ${HYPERFINE:-0} == 1 ]] && command -v hyperfine > /dev/null; then
    json=$out/startup-$name.json
    hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" \
      --command-name "no agent" "${plain[*]}" \
      --command-name "with agent" "${agent[*]}" \
      --command-name "agent, no points, no HTTP" "${agent_bare[*]}" \
      --command-name "agent, 1 point, no HTTP" "${agent_nohttp[*]}" > "$out/startup-$name.txt"
    medians=()
    for i in 0 1 2 3; do
      medians+=("$(jq ".results[$i].median * 1000" "$json" | xargs printf '%.1f')")
    done
  else
    commands=("${plain[*]}" "${agent[*]}" "${agent_bare[*]}" "${agent_nohttp[*]}")
    if [[ -n ${BASELINE_JAR:-} ]]; then
      commands+=("$java -javaagent:$(realpath "$BASELINE_JAR")=config=$config -cp $out/classes hello.Hello")
    fi
    mapfile -t medians < <(interleaved_medians "${commands[@]}")
    if ((${#medians[@]} < ${#commands[@]})); then
      exit 1 # a start hung (reported above)
    fi
  fi
  added=$(awk -v a="${medians[1]}" -v p="${medians[0]}" 'BEGIN { printf "%+.1f", a - p }')
  printf '%-52s %7s ms %9s ms %7s ms   %s ms | %s ms' "$version ($java)" "${medians[0]}" \
    "${medians[1]}" "$added" "${medians[2]}" "${medians[3]}"
  if [[ -n ${BASELINE_JAR:-} ]]; then
    printf '   baseline jar: %s ms (%+.1f ms)' "${medians[4]}" \
      "$(awk -v b="${medians[4]}" -v p="${medians[0]}" 'BEGIN { print b - p }')"
  fi
  echo
done
