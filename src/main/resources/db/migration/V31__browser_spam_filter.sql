-- The member's own spam filter in the browser (issue 16): its token table, encrypted in the browser to the member's
-- own OpenPGP key. The server stores it as an opaque blob and checks only that it is an OpenPGP-encrypted message.
CREATE TABLE spam_browser_filter (
    account    VARCHAR(320) NOT NULL PRIMARY KEY,
    blob       CLOB         NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
