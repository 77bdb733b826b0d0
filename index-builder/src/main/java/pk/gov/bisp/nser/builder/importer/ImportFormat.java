package pk.gov.bisp.nser.builder.importer;

/** The import formats (IMPORT-FORMAT.md): one household per line, or one member per row. */
public enum ImportFormat { ndjson, csv }
