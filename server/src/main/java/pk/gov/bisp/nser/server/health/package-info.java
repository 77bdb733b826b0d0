/** Liveness, readiness, Prometheus metrics (latency percentiles from HdrHistogram) and the OpenAPI document. */
package pk.gov.bisp.nser.server.health;
