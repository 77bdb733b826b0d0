/**
 * The {@code nser-index-builder} command line: generate, import, export, export-columns, verify, stats,
 * sample-ids.
 */
package pk.gov.bisp.nser.builder.cli;
