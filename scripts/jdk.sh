# Sourced by ./pq and .ci/run: puts a JDK 21 or newer first on PATH and in JAVA_HOME.
# Order: $JAVA_HOME, the `java` on PATH, then the newest JDK in the usual install folders.

pq_jdk_major() {
  # The major version of the JDK at $1, read from its release file (no JVM start).
  local release="$1/release" version
  [ -r "$release" ] || return 1
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")
  [ -n "$version" ] && echo "$version"
}

pq_use_jdk21() {
  local candidate major best="" best_major=0
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in "${candidates[@]}"; do
    major=$(pq_jdk_major "$candidate") || continue
    if [ "$major" -ge 21 ]; then best="$candidate"; best_major=$major; break; fi
  done
  if [ -z "$best" ]; then
    for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
                     /Library/Java/JavaVirtualMachines/*/Contents/Home \
                     "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
      [ -x "$candidate/bin/javac" ] || continue
      major=$(pq_jdk_major "$candidate") || continue
      if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
    done
  fi
  if [ -z "$best" ]; then
    echo "priority-queues needs a JDK 21 or newer and found none (looked at JAVA_HOME, PATH, /usr/lib/jvm," >&2
    echo "/Library/Java/JavaVirtualMachines, ~/.sdkman). Install one, or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
