/** The opened snapshot the server answers from, and whether it is ready (verified and warm). */
package pk.gov.bisp.nser.server.registry;
