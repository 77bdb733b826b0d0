/**
 * The DCI Social Registry API v1.0.0 (issue 32): {@code /registry/sync/search}, {@code /registry/search},
 * {@code /registry/sync/txn/status} and {@code /registry/txn/status}, over the native lookup, the bitmap query
 * engine and the role projections, with the native API's authentication, scope, billing and access log.
 */
package pk.gov.bisp.nser.server.dci;
