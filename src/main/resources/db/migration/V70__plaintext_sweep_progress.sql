-- How far the stored-plaintext sweep has checked each mailbox (delivery/SweepProgress): each stored message is read
-- once. A mailbox is named by James' mailbox id and UIDVALIDITY, never by its owner's address.
CREATE TABLE plaintext_sweep_progress (
    mailbox VARCHAR(200) PRIMARY KEY,
    checked_up_to BIGINT NOT NULL
);
