# Sourced by the load-test scripts from the repository root: builds the jars when one is missing or older than
# any source, pom or configuration file, so a run never measures stale code.
jars_fresh() {
  for j in index-builder/target/nser-index-builder.jar server/target/nser-server.jar loadtest/target/nser-loadtest.jar; do
    [ -f "$j" ] || return 1
    [ -z "$(find pom.xml ./*/pom.xml ./*/src/main config -newer "$j" -print -quit)" ] || return 1
  done
}
jars_fresh || ./mvnw -q -B -DskipTests package
