/**
 * The snapshot: a directory of files the index builder writes and the server opens (spec in SNAPSHOT-FORMAT.md
 * beside the sources). Opening never trusts a file: magic, version, size and checksum are checked, and a
 * damaged file is refused by a {@link pk.gov.bisp.nser.core.format.SnapshotCorruptException} naming it.
 */
package pk.gov.bisp.nser.core.snapshot;
