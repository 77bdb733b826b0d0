/** What the server uses of Vert.x beyond its public API, in one class ({@code VertxInternals}), and why. */
package pk.gov.bisp.nser.server.vertx;
