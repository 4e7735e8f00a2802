-- Pinned admin signing keys (docs/audit.md, "Admin signing keys"). An admin's signed actions are verified against
-- the certificate pinned here, not against whatever the key directory publishes now: a stolen password can
-- publish a new key, but cannot move the pin. Only a signed admin.rekey (old key), the admin.key.confirm of every
-- other admin, or the single-admin operator step moves it, and each of those is an entry of the audit log.
CREATE TABLE admin_signing_key (
    address               VARCHAR(320) NOT NULL PRIMARY KEY,
    fingerprint           VARCHAR(64)  NOT NULL,   -- the pinned primary key fingerprint
    armored               TEXT         NOT NULL,   -- the pinned certificate (refreshed when the same key is republished)
    key_bytes             BYTEA        NOT NULL,
    published_fingerprint VARCHAR(64)  NOT NULL,   -- the directory's key last seen, to log every change of it once
    pinned_at             TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Admins with a key already published when this table appeared: that key is their signing key.
INSERT INTO admin_signing_key (address, fingerprint, armored, key_bytes, published_fingerprint, pinned_at)
SELECT k.address, k.fingerprint, k.armored, k.key_bytes, k.fingerprint, k.uploaded_at
FROM public_key k JOIN account_role r ON r.address = k.address
WHERE r.role = 'ADMIN';

-- admin.key.confirm: other admins vouching for an admin's new key when the old one is lost. Only confirmations
-- of the key the directory publishes now count; the pin moves when every other admin has confirmed it.
CREATE TABLE admin_key_confirmation (
    address     VARCHAR(320) NOT NULL,   -- the admin whose key is confirmed
    fingerprint VARCHAR(64)  NOT NULL,
    admin       VARCHAR(320) NOT NULL,   -- who confirmed
    PRIMARY KEY (address, fingerprint, admin)
);
