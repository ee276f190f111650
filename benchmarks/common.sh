# Shared by startup.sh and throughput.sh; source it, do not run it.

# Sets agent_jar from the first argument (default: the build's agent jar next to benchmarks/), as an
# absolute path, or stops with how to build it. The caller shifts the argument away.
agent_jar_from_arg() {
  local here
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  agent_jar=${1:-$here/../agent/target/conductor-agent.jar}
  if [[ ! -f $agent_jar ]]; then
    echo "agent jar not found: $agent_jar (build it: mvn -q -o install -DskipTests -pl bootstrap,instrumentation,exporter,agent)" >&2
    exit 1
  fi
  agent_jar=$(realpath "$agent_jar")
}

# The median of the numbers on stdin, divided by $1 (default 1), with one decimal.
median_of() {
  sort -g | awk -v d="${1:-1}" '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / d }'
}
