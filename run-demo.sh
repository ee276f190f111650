#!/usr/bin/env bash
# Builds everything, then runs the sample orchestrator with the agent attached until Ctrl-C.
# Metrics: http://127.0.0.1:8080/metrics (and :8000/metrics), health: http://127.0.0.1:8080/health
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests install
exec java \
  -javaagent:agent/target/conductor-agent.jar=config=config/examples/conductor-demo.yaml \
  -jar examples/conductor-demo/target/conductor-demo.jar --agents 4 --tasks 0 --rate 20 "$@"
