/** JSON written straight to bytes: pre-encoded names and values into one reused buffer, no tree, no strings. */
package pk.gov.bisp.nser.server.json;
