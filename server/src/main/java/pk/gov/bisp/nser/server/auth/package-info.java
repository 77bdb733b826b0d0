/** Authentication by Bearer API key (compared as SHA-256) and the operation and role checks. */
package pk.gov.bisp.nser.server.auth;
