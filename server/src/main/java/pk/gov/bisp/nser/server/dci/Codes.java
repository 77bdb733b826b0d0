package pk.gov.bisp.nser.server.dci;

/** The contract's codes this registry answers with (social_api_v1.0.0.yaml; never renamed). */
final class Codes {

    // MsgHeaderStatusReasonCode
    static final String VERSION = "rjct.version.invalid";
    static final String MESSAGE_TS = "rjct.message_ts.invalid";
    static final String ACTION = "rjct.action.invalid";
    static final String ACTION_NOT_SUPPORTED = "rjct.action.not_supported";
    static final String TOTAL_COUNT = "rjct.total_count.invalid";
    static final String TOTAL_COUNT_LIMIT = "rjct.total_count.limit_exceeded";

    // SearchStatusReasonCode
    static final String REFERENCE_ID = "rjct.reference_id.invalid";
    static final String REFERENCE_ID_DUPLICATE = "rjct.reference_id.duplicate";
    static final String TIMESTAMP = "rjct.timestamp.invalid";
    static final String CRITERIA = "rjct.search_criteria.invalid";
    static final String SORT = "rjct.sort.invalid";
    static final String PAGINATION = "rjct.pagination.invalid";

    // Error (HttpErrorResponse and acknowledgements)
    static final String BAD = "err.request.bad";
    static final String UNAUTHORIZED = "err.request.unauthorized";
    static final String FORBIDDEN = "err.request.forbidden";
    static final String TOO_MANY = "err.request.too_many_requests";
    static final String UNAVAILABLE = "err.service.unavailable";
    static final String SENDER_URI = "err.sender_uri.invalid";
    static final String VERSION_NOT_SUPPORTED = "err.version.not_supported";
    static final String SIGNATURE_MISSING = "err.signature.missing";
    static final String SIGNATURE_INVALID = "err.signature.invalid";

    // statuses
    static final String SUCC = "succ";
    static final String RJCT = "rjct";

    private Codes() {
    }
}
