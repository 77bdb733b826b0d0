/**
 * The server configuration (YAML): organisations, users and API key hashes, programmes and their rules, public
 * fair-usage limits, trusted proxies, listen address. Validated once at start, then immutable.
 */
package pk.gov.bisp.nser.server.config;
