/**
 * The DCI Social Registry API v1.0.0 (issue 32): {@code /registry/sync/search}, {@code /registry/search},
 * {@code /registry/sync/txn/status}, {@code /registry/txn/status}, {@code /registry/subscribe} and
 * {@code /registry/unsubscribe}, over the native lookup, the bitmap query engine and the role projections, with the
 * native API's authentication, scope, billing and access log; and {@code /registry/notify} to subscribers, from a
 * durable outbox fed by the update service's {@code HouseholdListener}.
 */
package pk.gov.bisp.nser.server.dci;
