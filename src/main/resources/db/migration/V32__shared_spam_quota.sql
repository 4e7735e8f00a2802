-- "Report spam and share it" (issue 16): how many messages each member shared today, for the per-member daily limit.
-- A count only; rows older than yesterday are deleted. The shared messages themselves are never kept: the server
-- learns their tokens (spam_learned_token) and, in rspamd mode, hands them to rspamd's /learnspam.
CREATE TABLE spam_shared_quota (
    account VARCHAR(320) NOT NULL,
    on_day  DATE         NOT NULL,
    reports INTEGER      NOT NULL,
    PRIMARY KEY (account, on_day)
);
