/**
 * Who calls: users and their roles, organisations (type, tariff, area scope), the operations a key may perform,
 * and API key hashing. Made by the configuration, checked by {@code auth}, recorded by the access log.
 */
package pk.gov.bisp.nser.server.caller;
