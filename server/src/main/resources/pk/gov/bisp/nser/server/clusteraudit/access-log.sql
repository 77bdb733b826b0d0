-- The cluster's access log in PostgreSQL (issue 28). Applied by the sink at start (every statement is idempotent);
-- read by the admin access log and usage with audit.postgres, and by anyone with SQL or a BI tool.
--
-- One row per access record of any replica's journal: what the data-sharing plan's access logging (Operational
-- Plan 8.2.3) asks each serviced request to be logged with, and what it was billed:
--   "IP address of the client"  -> client_ip        "User ID and User name" -> user_id, user_name
--   "Type of search"            -> operation (and method, path)
--   "Selected parameters"       -> query (the request's query string), cnic (the CNIC searched)
--   "Number of rows returned"   -> rows             "Timestamp"             -> ts
-- The other columns are the rest of the journal's record (server/.../accesslog/AccessRecord.java): organisation,
-- role, field classes sent, status, latency, the bill (billed_rows, amount_paisa), why an answer was refused
-- (reason), the data-sharing agreement and the DCI purposes.
--
-- Identity: (node_id, sequence) names a record in the whole cluster: the replica (cluster.node_id) and the
-- sequence of its access journal. PostgreSQL requires a partitioned table's keys to hold the partition column, so
-- the primary key is (node_id, sequence, ts); ts is part of the record a sequence names (the journal never
-- rewrites a record), so a record sent twice has the same three values and INSERT ... ON CONFLICT DO NOTHING
-- writes it once: the sink is idempotent.
--
-- Partitions: one per calendar month in Pakistan time (the months usage and quotas are counted in), named
-- access_yYYYYmMM, created by nser_access_month(ts) before the first row of that month is written.

CREATE TABLE IF NOT EXISTS access (
    node_id           text        NOT NULL, -- the replica that served the request (cluster.node_id)
    sequence          bigint      NOT NULL, -- its access journal's sequence (1, 2, ... per replica)
    ts                timestamptz NOT NULL, -- when the request was answered (ms)
    kind              smallint    NOT NULL, -- 1: a request; 2: the end of a stream (the rows it sent, billed then)
    request_id        text,
    client_ip         text,
    user_id           text,
    user_name         text,
    organisation      text,
    organisation_type text,
    role              text,
    operation         text,
    method            text,
    path              text,
    query             text,
    cnic              text,                 -- the CNIC searched, 00000-0000000-0 (null: none)
    rows              bigint      NOT NULL, -- household rows returned
    field_classes     integer     NOT NULL, -- bit set: 1 public, 2 confidential, 4 secret
    status            integer     NOT NULL, -- HTTP status
    latency_us        bigint      NOT NULL,
    stream            boolean     NOT NULL,
    billed_rows       bigint      NOT NULL,
    amount_paisa      bigint      NOT NULL, -- the bill, in paisa (1/100 PKR)
    reason            text,                 -- what the caller was not told (e.g. outside-area-scope)
    agreement         text,                 -- the data-sharing agreement acted under
    purposes          jsonb,                -- a DCI search's consent and purpose ([] when none)
    PRIMARY KEY (node_id, sequence, ts)
) PARTITION BY RANGE (ts);

-- Runs of access records a replica's journal lost to damage (a torn or corrupted segment: see JOURNAL-FORMAT.md):
-- its shipper finds them where they should have been read and ships their count instead. Counted in usage's
-- lost_records on the Pakistan day they were found (their own time cannot be read); (node_id, first_sequence)
-- names a run, so a count shipped twice is written once.
CREATE TABLE IF NOT EXISTS access_lost (
    node_id        text        NOT NULL,
    first_sequence bigint      NOT NULL,
    last_sequence  bigint      NOT NULL,
    records        bigint      NOT NULL,
    found          timestamptz NOT NULL,
    PRIMARY KEY (node_id, first_sequence)
);

-- the admin access log's filters (cnic, organisation, user, a time range), each newest first
CREATE INDEX IF NOT EXISTS access_cnic_ts ON access (cnic, ts) WHERE cnic IS NOT NULL;
CREATE INDEX IF NOT EXISTS access_organisation_ts ON access (organisation, ts);
CREATE INDEX IF NOT EXISTS access_user_ts ON access (user_id, ts);
CREATE INDEX IF NOT EXISTS access_ts ON access (ts);

-- Creates the partition of the Pakistan month holding instant t, if it does not exist yet.
CREATE OR REPLACE FUNCTION nser_access_month(t timestamptz) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    m    timestamp   := date_trunc('month', t AT TIME ZONE 'Asia/Karachi');
    name text        := 'access_y' || to_char(m, 'YYYY') || 'm' || to_char(m, 'MM');
BEGIN
    IF to_regclass(name) IS NULL THEN
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF access FOR VALUES FROM (%L) TO (%L)', name,
                       m AT TIME ZONE 'Asia/Karachi', (m + interval '1 month') AT TIME ZONE 'Asia/Karachi');
    END IF;
END
$$;
