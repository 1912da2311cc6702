#!/usr/bin/env bash
# Cold start of each Lambda handler against the local AWS-API servers, as a multiple of an
# SDK-only floor measured in the same run (see ColdStartBenchmark). Usage: scripts/cold-start.sh [runs]
set -euo pipefail
if [ $# -gt 1 ] || { [ $# -eq 1 ] && [[ ! $1 =~ ^[1-9][0-9]{0,2}$ ]]; }; then
  echo "usage: ./pq coldstart [runs]   (runs: 1 to 999 fresh JVMs per function, default 5)" >&2
  exit 2
fi
cd "$(dirname "$0")/.."
. scripts/jdk.sh
pq_use_jdk21
mvn -B -q -pl lambdas/presign,lambdas/router,lambdas/worker,lambdas/testing -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/classpath.txt
classpath="lambdas/testing/target/classes:$(cat lambdas/testing/target/classpath.txt)"
exec java --enable-native-access=ALL-UNNAMED -cp "$classpath" \
  dev.priorityqueues.common.testing.ColdStartBenchmark "$@"
