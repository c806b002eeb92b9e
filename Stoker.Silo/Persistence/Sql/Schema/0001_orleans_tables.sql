-- Stoker schema step 1: the tables behind the Orleans ADO.NET providers
-- (clustering, grain storage, reminders) and the table of named queries the
-- providers load when they start.
--
-- Runs inside the migrator's transaction while it holds the advisory lock, so
-- IF NOT EXISTS only protects against a database that was prepared by hand.
-- Identifiers are unquoted on purpose: the providers read the query table with
-- "SELECT QueryKey, QueryText FROM OrleansQuery" (unquoted, so PostgreSQL folds
-- it to lower case) and look result columns up by name, which Npgsql matches
-- case-insensitively.

-- Named queries. The key column is what the providers ask for by name; the
-- text is the SQL they then run with their own parameters.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- Clustering: one version row per cluster (Orleans "deployment id"). Every
-- change to the membership rows must bump it, which is how concurrent writers
-- detect that they raced.
CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    DeploymentId text        NOT NULL PRIMARY KEY,
    Version      integer     NOT NULL DEFAULT 0,
    ChangedAt    timestamptz NOT NULL DEFAULT now()
);

-- Clustering: one row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS orleans_membership
(
    DeploymentId text        NOT NULL REFERENCES orleans_membership_version (DeploymentId),
    Address      text        NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL,
    ProxyPort    integer     NOT NULL DEFAULT 0,
    SuspectTimes text        NULL,
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Grain state. A grain is identified by service, grain type and key: the two
-- 64-bit halves of an integer or GUID key plus an optional string (the key of a
-- string-keyed grain, or the extension of a compound key). The provider also
-- sends hashes of the key and type; they are stored but deliberately not part
-- of the identity, so rows stay findable if the hashing option ever changes.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    ServiceId              text        NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainIdExtensionString text        NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainIdHash            integer     NOT NULL,
    PayloadBinary          bytea       NULL,
    Version                integer     NOT NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now()
);

-- The identity above as a unique index. The string part is NULL for plain
-- integer/GUID keys; coalescing it lets NULL take part in uniqueness on every
-- PostgreSQL version (NULLS NOT DISTINCT needs 15+). The queries compare the
-- same expression so they can use this index.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_grain_state_identity
    ON orleans_grain_state (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, (coalesce(GrainIdExtensionString, '')));

-- Reminders: one row per (service, grain, reminder name). GrainHash is the
-- grain's uniform hash cast to a signed 32-bit integer; silos read the
-- reminders of their slice of the hash ring by ranges over it.
CREATE TABLE IF NOT EXISTS orleans_reminders
(
    ServiceId    text        NOT NULL,
    GrainId      text        NOT NULL,
    ReminderName text        NOT NULL,
    StartTime    timestamptz NOT NULL,
    Period       bigint      NOT NULL,
    GrainHash    integer     NOT NULL,
    Version      integer     NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash
    ON orleans_reminders (ServiceId, GrainHash);
