/** HTTP plumbing shared by every feature: problem+json errors, JSON writing, client addresses. */
package pk.gov.bisp.nser.server.http;
