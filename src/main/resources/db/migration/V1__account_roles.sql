-- Roles Essaim adds on top of James' accounts. Members have no row; admins (and later spectators) do.
CREATE TABLE account_role (
    address    VARCHAR(320) NOT NULL PRIMARY KEY,
    role       VARCHAR(32)  NOT NULL,
    granted_at TIMESTAMP WITH TIME ZONE NOT NULL
);
