/**
 * HTTP plumbing shared by every feature, importing none: the exchange (each request's access record, journaled
 * before its response is released), problem+json errors, route groups, path parameters, client addresses.
 */
package pk.gov.bisp.nser.server.http;
