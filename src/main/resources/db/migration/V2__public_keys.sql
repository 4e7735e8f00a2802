-- The public key directory: each account's current OpenPGP public key, as validated at upload.
-- One row per address (lower-case); a new upload replaces the row. TEXT and BYTEA mean the same in H2
-- (CLOB, VARBINARY) and PostgreSQL.
CREATE TABLE public_key (
    address     VARCHAR(320) NOT NULL PRIMARY KEY,
    fingerprint VARCHAR(64)  NOT NULL,
    armored     TEXT         NOT NULL,
    key_bytes   BYTEA        NOT NULL,
    uploaded_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX public_key_fingerprint ON public_key (fingerprint);
