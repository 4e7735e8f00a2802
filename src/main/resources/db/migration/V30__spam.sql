-- Spam filtering (issue 16). Counts and metadata only: no text of any message is kept here.

-- Tokens the server-side classifier learned after the shipped model: from spam members chose to share, and from an
-- admin's corpus. Ham is never learned from members' mail.
CREATE TABLE spam_learned_token (
    token      VARCHAR(200) NOT NULL PRIMARY KEY,
    spam_count INTEGER      NOT NULL,
    ham_count  INTEGER      NOT NULL
);
CREATE TABLE spam_learned_total (
    kind     VARCHAR(10) NOT NULL PRIMARY KEY,
    messages INTEGER     NOT NULL
);

-- Per-member sender reputation from what the server sees anyway (the sender's address, DKIM d= domains), adjusted
-- when a member files a message into or out of Spam; kept 30 days after the last vote, shown in My account.
CREATE TABLE spam_sender_reputation (
    account    VARCHAR(320) NOT NULL,
    sender     VARCHAR(330) NOT NULL,
    spam_votes INTEGER      NOT NULL,
    ham_votes  INTEGER      NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (account, sender)
);

-- What the filter did per day: counts of refused / junked / delivered messages and of the reasons that scored.
CREATE TABLE spam_daily_count (
    on_day   DATE         NOT NULL,
    kind     VARCHAR(20)  NOT NULL,
    name     VARCHAR(100) NOT NULL,
    messages BIGINT       NOT NULL,
    PRIMARY KEY (on_day, kind, name)
);
