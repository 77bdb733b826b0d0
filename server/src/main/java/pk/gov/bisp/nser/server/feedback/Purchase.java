package pk.gov.bisp.nser.server.feedback;

import java.util.List;

/**
 * One validated purchase at a point of sale. Money is in paisa, quantities in thousandths of their unit, times
 * in epoch milliseconds.
 *
 * @param householdId  the NSER household the CNIC belonged to when the purchase was posted
 * @param cnic         the CNIC given at the till
 * @param amountPaisa  the purchase's total before subsidy (the sum of its lines)
 * @param subsidyPaisa the subsidy applied (the sum of its lines; at most the amount)
 */
public record Purchase(long householdId, long cnic, String programme, String outletId, long purchasedAtMillis,
                       List<Item> items, long amountPaisa, long subsidyPaisa) {

    public Purchase {
        items = List.copyOf(items);
    }

    /** One line of a purchase. */
    public record Item(String code, String unit, long quantityMilli, long amountPaisa, long subsidyPaisa) {
    }
}
