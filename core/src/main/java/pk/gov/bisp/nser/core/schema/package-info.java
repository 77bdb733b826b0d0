/**
 * The household and member schema of the NSER: typed fields, enums for every coded answer.
 * Enum constants are stored by ordinal in the record format, so they are append-only: never reorder or remove one.
 */
package pk.gov.bisp.nser.core.schema;
