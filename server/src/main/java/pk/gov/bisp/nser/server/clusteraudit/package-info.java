/**
 * The cluster's one access log (issue 28): each replica ships its access journal to the Kafka access topic
 * ({@code AccessShipper}), counts every other replica's billed rows from it for the monthly limits
 * ({@code ClusterBills}), and with {@code audit.postgres} writes it into PostgreSQL ({@code AuditSink},
 * {@code AuditDatabase}, schema in {@code access-log.sql}), which then answers the admin access log and usage.
 */
package pk.gov.bisp.nser.server.clusteraudit;
