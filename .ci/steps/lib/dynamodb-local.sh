# shellcheck shell=bash
# DynamoDB Local for the CI steps: fetched from Maven Central with mvn (pinned, cached under the
# git-ignored .data/ci/), started on a free port with a bounded wait, always stopped on exit.
#
#   source .ci/steps/lib/dynamodb-local.sh
#   start_dynamodb_local            # sets DYNAMODB_LOCAL_ENDPOINT; stopped by an EXIT trap

DYNAMODB_LOCAL_VERSION=${DYNAMODB_LOCAL_VERSION:-3.3.1}
DYNAMODB_LOCAL_DIR=${DYNAMODB_LOCAL_DIR:-.data/ci/dynamodb-local-$DYNAMODB_LOCAL_VERSION}
DYNAMODB_LOCAL_PID=""

# Downloads DynamoDBLocal and its dependencies, including the sqlite4java native libraries
# (published as separate .so/.dylib/.dll artifacts), into $DYNAMODB_LOCAL_DIR/lib, once.
fetch_dynamodb_local() {
  [ -f "$DYNAMODB_LOCAL_DIR/lib/DynamoDBLocal-$DYNAMODB_LOCAL_VERSION.jar" ] && return 0
  command -v mvn >/dev/null || { echo "mvn is required to fetch DynamoDB Local" >&2; return 1; }
  mkdir -p "$DYNAMODB_LOCAL_DIR"
  local dir
  dir=$(cd "$DYNAMODB_LOCAL_DIR" && pwd)
  cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>items-api.ci</groupId>
  <artifactId>dynamodb-local</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>software.amazon.dynamodb</groupId>
      <artifactId>DynamoDBLocal</artifactId>
      <version>$DYNAMODB_LOCAL_VERSION</version>
    </dependency>
  </dependencies>
</project>
POM
  rm -rf "$dir/lib.partial"
  echo "fetching DynamoDB Local $DYNAMODB_LOCAL_VERSION from Maven Central into $dir"
  if ! mvn -B -q -f "$dir/pom.xml" -Dmaven.repo.local="$dir/m2" \
    dependency:copy-dependencies -DoutputDirectory="$dir/lib.partial" >"$dir/fetch.log" 2>&1; then
    cat "$dir/fetch.log" >&2
    return 1
  fi
  mv "$dir/lib.partial" "$dir/lib"
}

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

stop_dynamodb_local() {
  [ -n "$DYNAMODB_LOCAL_PID" ] || return 0
  kill "$DYNAMODB_LOCAL_PID" 2>/dev/null || true
  wait "$DYNAMODB_LOCAL_PID" 2>/dev/null || true
  DYNAMODB_LOCAL_PID=""
}

# Starts an in-memory, shared-database DynamoDB Local and waits (60 s at most) until it answers.
# -sharedDb: one database whatever the credentials and region, as with dynalite.
start_dynamodb_local() {
  fetch_dynamodb_local || return 1
  command -v java >/dev/null || { echo "java is required to run DynamoDB Local" >&2; return 1; }
  local dir lib port log
  dir=$(cd "$DYNAMODB_LOCAL_DIR" && pwd)
  lib="$dir/lib"
  port=$(free_port)
  log="$dir/server.log"
  trap stop_dynamodb_local EXIT
  # From its own folder: even in memory, it writes dynamodb-local-metadata.json where it runs.
  (cd "$dir" && exec java -Djava.library.path="$lib" -cp "$lib/*" \
    software.amazon.dynamodb.services.local.main.ServerRunner \
    -inMemory -sharedDb -disableTelemetry -port "$port") >"$log" 2>&1 &
  DYNAMODB_LOCAL_PID=$!
  DYNAMODB_LOCAL_ENDPOINT="http://127.0.0.1:$port"
  local deadline=$((SECONDS + 60))
  until node -e 'fetch(process.argv[1]).then(() => process.exit(0), () => process.exit(1))' \
    "$DYNAMODB_LOCAL_ENDPOINT" 2>/dev/null; do
    if ! kill -0 "$DYNAMODB_LOCAL_PID" 2>/dev/null; then
      echo "DynamoDB Local exited during start-up:" >&2
      cat "$log" >&2
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "DynamoDB Local did not answer within 60 s:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "DynamoDB Local $DYNAMODB_LOCAL_VERSION ready at $DYNAMODB_LOCAL_ENDPOINT (pid $DYNAMODB_LOCAL_PID)"
}
