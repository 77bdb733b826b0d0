/** The NSER HTTP server: start-up ({@link pk.gov.bisp.nser.server.NserServer}), command line and wiring. */
package pk.gov.bisp.nser.server;
