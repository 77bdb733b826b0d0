package pk.gov.bisp.nser.server.caller;

/**
 * A partner organisation: who pays what, and where it may look.
 *
 * @param monthlyBudgetPaisa  the most it may be billed in a calendar month, in paisa (0 = no budget)
 * @param monthlyRowQuota     the most household rows it may be billed for in a month (0 = no quota)
 */
public record Organisation(String id, String name, OrganisationType type, AreaScope scope, long monthlyBudgetPaisa,
                           long monthlyRowQuota) {
}
