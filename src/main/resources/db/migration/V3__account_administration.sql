-- Accounts an admin disabled (no row: enabled).
CREATE TABLE disabled_account (
    address     VARCHAR(320) NOT NULL PRIMARY KEY,
    disabled_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Single-use invitation links. Only a hash of the token is kept: a database leak opens no account.
CREATE TABLE invitation (
    token_hash VARCHAR(64)  NOT NULL PRIMARY KEY,
    address    VARCHAR(320) NOT NULL,
    invited_by VARCHAR(320) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);

-- Last web login, to the day only (no time, no IP).
CREATE TABLE last_login (
    address VARCHAR(320) NOT NULL PRIMARY KEY,
    login_day DATE NOT NULL
);

-- One sample a day of the server's storage, for the growth chart.
CREATE TABLE storage_sample (
    sample_day    DATE   NOT NULL PRIMARY KEY,
    used_bytes    BIGINT NOT NULL,
    account_count INT    NOT NULL
);
