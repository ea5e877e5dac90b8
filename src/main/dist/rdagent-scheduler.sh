#!/bin/sh
# Starts the scheduler jar with class-data sharing (CDS): the classes a start loads are read from an archive
# instead of being found, parsed and verified again, which roughly halves start-up on 2 cores (README, Benchmarks).
#
# The jar is unpacked once (java -Djarmode=tools ... extract: CDS needs plain jars on a plain class path) into
# $CACHE_DIRECTORY/app. A run without an archive writes one when it exits (-XX:ArchiveClassesAtExit, on a normal
# stop); each later start maps it (-XX:SharedArchiveFile). A new jar or a new JVM unpacks again and drops the
# archive, so the next normal stop writes a fresh one. Without an archive the start is as slow as plain java -jar.
#
# Environment: RDAGENT_JAR (the jar), CACHE_DIRECTORY (set by systemd's CacheDirectory=), JAVA (java binary),
# JAVA_OPTS (JVM options). Arguments go to the application.
set -eu

JAR=${RDAGENT_JAR:-/opt/rdagent-scheduler/rdagent-scheduler.jar}
CACHE=${CACHE_DIRECTORY:-/var/cache/rdagent-scheduler}
JAVA=${JAVA:-java}
APP="$CACHE/app"
ARCHIVE="$CACHE/app.jsa"

# what the unpacked jar and the archive belong to: this jar file and this JVM build
jvm=$(readlink -f "$(command -v "$JAVA")")
stamp="$(ls -lL --time-style=+%s "$JAR" "$jvm" | awk '{print $5, $6, $7}' | tr '\n' ' ')"
if [ ! -f "$APP/.stamp" ] || [ "$(cat "$APP/.stamp")" != "$stamp" ]; then
    rm -rf "$APP" "$APP.new" "$ARCHIVE"
    mkdir -p "$CACHE"
    "$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$APP.new" --application-filename app.jar
    printf '%s' "$stamp" > "$APP.new/.stamp"
    mv "$APP.new" "$APP"
fi

if [ -f "$ARCHIVE" ]; then
    cds="-XX:SharedArchiveFile=$ARCHIVE"
else
    # the dump warns about hundreds of classes it skips (old bytecode, optional dependencies absent): not news
    cds="-XX:ArchiveClassesAtExit=$ARCHIVE -Xlog:cds=error"
fi
# JAVA_OPTS and cds are split on spaces on purpose (several options in one variable, as in the unit)
# shellcheck disable=SC2086
exec "$JAVA" ${JAVA_OPTS:-} $cds -jar "$APP/app.jar" "$@"
