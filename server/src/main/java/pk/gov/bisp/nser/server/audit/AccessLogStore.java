package pk.gov.bisp.nser.server.audit;

import io.vertx.core.buffer.Buffer;

/**
 * Access records kept somewhere other than this server's journal: the whole cluster's, in the audit database
 * (issue 28). Blocking: called on a worker thread, never on an event loop.
 */
@FunctionalInterface
public interface AccessLogStore {

    /** The latest {@code limit} records matching {@code f}, in the JSON of {@code GET /admin/access-log}. */
    Buffer read(AccessLogRoutes.Filter f, int limit) throws Exception;
}
