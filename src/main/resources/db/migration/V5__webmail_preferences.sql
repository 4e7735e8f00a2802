-- Per-user webmail settings. No row: the defaults (new messages are signed).
CREATE TABLE webmail_preferences (
    address         VARCHAR(320) NOT NULL PRIMARY KEY,
    sign_by_default BOOLEAN      NOT NULL
);
