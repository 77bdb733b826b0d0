package pk.gov.bisp.nser.server.exchange;

import java.time.YearMonth;
import java.util.List;

/**
 * A benefit a partner programme gave one household in one month.
 *
 * @param cnic        the CNIC the partner named, or -1 when it named the household id
 * @param amountPaisa the value in paisa (PKR hundredths): the cash paid, or the value of the goods or cover
 */
public record Benefit(long householdId, long cnic, String programme, YearMonth period, long amountPaisa,
                      String kind) {

    public static final List<String> KINDS = List.of("cash", "in_kind", "health_cover", "other");
}
