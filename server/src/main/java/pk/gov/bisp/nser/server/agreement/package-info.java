/**
 * Data-sharing agreements at run time (issue 26): the live agreements and API keys ({@code AgreementStore}: the
 * configuration's seeds with every journaled change applied by one deterministic function,
 * {@code AgreementState.apply}), the admin API ({@code AgreementRoutes}), and who a key is now, for
 * {@code auth.Authenticator} ({@code auth.KeyDirectory}) and for features that act later ({@code caller.AgreementCheck}).
 */
package pk.gov.bisp.nser.server.agreement;
