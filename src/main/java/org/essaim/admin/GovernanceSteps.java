package org.essaim.admin;

import java.time.Instant;

/**
 * The steps of {@link AdminAction.GovernanceAction}s: co-optation by consensus and the moves of admin signing keys.
 * Governance implements them (its rules, its server entries in the log); admin only names them, so that each action
 * is declared once, in {@link AdminAction}. Called only through {@link AdminActions#execute}, after the statement was
 * verified and appended; each step throws {@link AdminActionException} when it is not possible.
 */
public interface GovernanceSteps {

    void propose(String admin, String address, Instant now);

    void consent(String admin, String address, Instant now);

    void object(String admin, String address);

    void withdrawObjection(String admin, String address, Instant now);

    void withdrawProposal(String address);

    void removeAdmin(String admin, String address, Instant now);

    void resign(String admin);

    void rekey(String admin, String fingerprint);

    void confirmKey(String admin, String address, String fingerprint);
}
