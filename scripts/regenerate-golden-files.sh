#!/bin/sh
# Rewrites the committed golden files from the code as it is now. The tests only read them; run this only when a
# format gets a NEW version (see RECORD-FORMAT.md, JOURNAL-FORMAT.md, feedback/BatchCodec.java,
# accesslog/AccessRecord.java, agreement/CommandCodec.java), never to accept a changed encoding of a version that is
# already out. Review the diff before committing it.
#
#   scripts/regenerate-golden-files.sh
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
./mvnw -q -o -pl core,index-builder,server -am -DskipTests install
run() { # module, main class, golden directory
    ./mvnw -q -pl "$1" exec:java -Dexec.classpathScope=test -Dexec.mainClass="$2" -Dexec.args="$root/$3"
}
run core pk.gov.bisp.nser.core.snapshot.GoldenFilesTest core/src/test/resources/golden/v1
run core pk.gov.bisp.nser.core.journal.JournalGoldenFileTest core/src/test/resources/golden/journal/v1
run server pk.gov.bisp.nser.server.feedback.BatchCodecGoldenFileTest server/src/test/resources/golden/feedback
run server pk.gov.bisp.nser.server.accesslog.AccessRecordGoldenFileTest server/src/test/resources/golden/accesslog
run server pk.gov.bisp.nser.server.agreement.CommandCodecGoldenFileTest server/src/test/resources/golden/agreements
git status --short -- '*/golden/*'
