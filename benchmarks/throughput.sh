#!/usr/bin/env bash
# Whole-JVM cost of the agent on a saturated host: tasks completed per second, and the memory the
# JVM holds afterwards, without and with -javaagent:conductor-agent.jar, round after round.
#
# The host (src/throughput/tput/ThroughputHost.java, compiled here with javac) keeps an orchestrator's
# thread pool busy with CPU-bound tasks of tens of microseconds, one worker per agent, for
# $SECONDS s after $WARMUP s. The agent's config hooks the enqueue, the task and the agents' pool
# (executors: default), with tracing on (the default), as a user of the demo would. Each agent run
# scrapes the agent at the end and must show every task the host ended, or the script stops.
#
# Usage:   benchmarks/throughput.sh [agent-jar] [java ...]
#   agent-jar  default: ../agent/target/conductor-agent.jar next to this script
#   java ...   JVMs to run, default: java
# Env:     ROUNDS (default 5), SECONDS_MEASURED (default 10), WARMUP (default 5), AGENTS (default 2:
#          one worker per core here), SCALE (default 1: multiplies each task's work), HEAP (default 512m, pre-touched, so that RSS differences are
#          what is not heap), BASELINE_JAR=<another conductor agent jar> and OTEL_JAR=<the
#          OpenTelemetry Java agent> add their runs to each round. OpenTelemetry runs with the same
#          method as a span (methods include) and its exporters off: it drops its spans, so it does
#          less than this agent, which exports metrics and keeps traces. NOOP_AGENT=1 adds a run with
#          an agent whose premain does nothing (src/throughput/noop): what any -javaagent costs the
#          JVM, which the conductor runs pay too. CONDUCTOR_OPTS (e.g.
#          "-Dconductor.tracing.enabled=false") is added to the conductor runs: one feature's share.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"
agent_jar_from_arg "${1:-}"
shift || true
if [[ $# -gt 0 ]]; then javas=("$@"); else javas=(java); fi
rounds=${ROUNDS:-5}
seconds=${SECONDS_MEASURED:-10}
warmup=${WARMUP:-5}
agents=${AGENTS:-2}
scale=${SCALE:-1}
heap=${HEAP:-512m}
out=$here/target/throughput
mkdir -p "$out/classes"

javac --release 17 -d "$out/classes" "$here/src/throughput/tput/ThroughputHost.java"
noop_jar=$out/noop-agent.jar
if [[ -n ${NOOP_AGENT:-} ]]; then
  mkdir -p "$out/noop"
  javac --release 17 -d "$out/noop" "$here/src/throughput/noop/NoopAgent.java"
  printf 'Premain-Class: noop.NoopAgent\n' > "$out/noop/MANIFEST.MF"
  jar --create --file "$noop_jar" --manifest "$out/noop/MANIFEST.MF" -C "$out/noop" noop
fi

config=$out/conductor-throughput.yaml
cat > "$config" <<'YAML'
metrics:
  prometheus_enabled: false   # the API port (given per run) serves /metrics

instrumentation:
  tasks:
    - type: tput.Agent
      method: execute
      labels:
        task_type: arg0.type
        task_id: arg0.id
        agent_id: this.id
        priority: arg0.priority
      status: return.status
  enqueue:
    - type: tput.Orchestrator
      method: submit
      task: arg0
      task_type: arg0.type
      priority: arg0.priority
YAML

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Value of key=value in a line.
field() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$2"; }


echo "agent jar: $agent_jar ($(sha256sum "$agent_jar" | cut -c1-12))"
echo "machine:   $(nproc) cores, $(uname -sr)"
echo "runs:      $rounds rounds of ${seconds} s measured after ${warmup} s, $agents agents, work x$scale, heap $heap"
echo

keys=(tasks_per_second warmup_tasks_per_second jit_cpu_s cpu_host_us cpu_agent_us cpu_jit_us cpu_gc_us heap_after_gc_mb non_heap_mb rss_mb threads classes)
for java in "${javas[@]}"; do
  version=$("$java" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/\1/')
  base=("$java" "-Xms$heap" "-Xmx$heap" -XX:+AlwaysPreTouch -cp "$out/classes")
  host=(tput.ThroughputHost --seconds "$seconds" --warmup "$warmup" --agents "$agents" --scale "$scale")
  names=("no agent" "conductor")
  [[ -n ${BASELINE_JAR:-} ]] && names+=("conductor baseline jar")
  [[ -n ${OTEL_JAR:-} ]] && names+=("opentelemetry")
  [[ -n ${NOOP_AGENT:-} ]] && names+=("no-op agent")
  dir=$(mktemp -d)
  for ((round = 0; round < rounds; round++)); do
    # Rotate the order, so that no variant always runs first after a quiet spell.
    for ((k = 0; k < ${#names[@]}; k++)); do
      i=$(((k + round) % ${#names[@]}))
      name=${names[$i]}
      command=("${base[@]}")
      port=""
      case $name in
        conductor | "conductor baseline jar")
          jar=$agent_jar
          [[ $name == "conductor baseline jar" ]] && jar=$(realpath "$BASELINE_JAR")
          port=$(free_port)
          command+=("-javaagent:$jar=config=$config" "-Dconductor.metrics.api_port=$port")
          # shellcheck disable=SC2206 # split on spaces on purpose: several options
          [[ -n ${CONDUCTOR_OPTS:-} ]] && command+=(${CONDUCTOR_OPTS})
          ;;
        "no-op agent")
          command+=("-javaagent:$noop_jar")
          ;;
        opentelemetry)
          command+=("-javaagent:$(realpath "$OTEL_JAR")" "-Dotel.instrumentation.methods.include=tput.Agent[execute]"
            -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none)
          ;;
      esac
      command+=("${host[@]}")
      [[ -n $port ]] && command+=(--verify-port "$port")
      output=$("${command[@]}" 2> "$dir/stderr") || {
        echo "run failed: ${command[*]}" >&2
        cat "$dir/stderr" >&2
        exit 1
      }
      result=$(grep '^tasks_per_second=' <<< "$output")
      if [[ -n $port ]]; then
        check=$(grep '^agent_tasks_total=' <<< "$output")
        counted=$(field agent_tasks_total "$check")
        ended=$(field host_tasks_total "$check")
        dropped=$(field agent_events_dropped "$check")
        overflowed=$(field agent_events_overflowed "$check")
        # A starved exporter may drop events (counted): tolerated, shown; anything else is a failure.
        if ((counted > ended || counted + dropped < ended)); then
          echo "the agent counted $counted tasks of the host's $ended ($name): ${command[*]}" >&2
          echo "$output" >&2
          exit 1
        fi
        echo "round $round, $name: $result (agent counted $counted of $ended tasks, events dropped $dropped, through the shared pool $overflowed)"
      else
        echo "round $round, $name: $result"
      fi
      for key in "${keys[@]}"; do field "$key" "$result" >> "$dir/$i.$key"; done
    done
  done

  echo
  echo "$version ($java), medians of $rounds rounds:"
  printf '%-24s' ""
  for key in "${keys[@]}"; do printf '%25s' "$key"; done
  echo
  for ((i = 0; i < ${#names[@]}; i++)); do
    printf '%-24s' "${names[$i]}"
    for key in "${keys[@]}"; do
      value=$(median_of < "$dir/$i.$key")
      plain=$(median_of < "$dir/0.$key")
      if ((i == 0)); then
        printf '%25s' "$value"
      elif [[ $key == *tasks_per_second ]]; then
        printf '%25s' "$value ($(awk -v a="$value" -v p="$plain" 'BEGIN { printf "%+.1f%%", (a - p) / p * 100 }'))"
      else
        printf '%25s' "$value ($(awk -v a="$value" -v p="$plain" 'BEGIN { printf "%+.1f", a - p }'))"
      fi
    done
    echo
  done
  rm -rf "$dir"
done
