/**
 * Import of real registry data (documented in IMPORT-FORMAT.md beside the sources): NDJSON, one household per
 * line, or CSV, one member per row. Malformed rows are reported with line number and reason.
 */
package pk.gov.bisp.nser.builder.importer;
