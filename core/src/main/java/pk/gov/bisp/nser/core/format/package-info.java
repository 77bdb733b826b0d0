/**
 * The bottom of every on-disk format: the common 16-byte file header, the exception that names a damaged or
 * unknown file, CRC-32C checksums, and the durable write of a new file. The snapshot, its indexes and the journal
 * all use this package; it uses none of them (core's {@code ArchitectureTest}).
 */
package pk.gov.bisp.nser.core.format;
