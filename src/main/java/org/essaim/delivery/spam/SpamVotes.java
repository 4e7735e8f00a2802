package org.essaim.delivery.spam;

/**
 * Where a member's "spam" / "not spam" decisions go (the spam feature's sender reputation): only the sender's
 * address, which the server sees anyway in the clear headers, never the content.
 */
public interface SpamVotes {

    void vote(String account, String senderAddress, boolean spam);

    SpamVotes NONE = (account, senderAddress, spam) -> { };
}
