package org.essaim.governance;

import java.time.Instant;

import org.essaim.admin.GovernanceSteps;
import org.springframework.stereotype.Component;

/**
 * Governance's side of the admin actions declared in admin/AdminAction: co-optation steps go to {@link Cooptation},
 * signing-key moves to {@link SigningKeyPins}. Reached only through AdminActions.execute, which governance alone
 * calls, after verifying and appending the signed statement.
 */
@Component
class GovernanceStepsImpl implements GovernanceSteps {
    private final Cooptation cooptation;
    private final SigningKeyPins signingKeys;

    GovernanceStepsImpl(Cooptation cooptation, SigningKeyPins signingKeys) {
        this.cooptation = cooptation;
        this.signingKeys = signingKeys;
    }

    @Override
    public void propose(String admin, String address, Instant now) {
        cooptation.propose(admin, address, now);
    }

    @Override
    public void consent(String admin, String address, Instant now) {
        cooptation.consent(admin, address, now);
    }

    @Override
    public void object(String admin, String address) {
        cooptation.object(admin, address);
    }

    @Override
    public void withdrawObjection(String admin, String address, Instant now) {
        cooptation.withdrawObjection(admin, address, now);
    }

    @Override
    public void withdrawProposal(String address) {
        cooptation.withdrawProposal(address);
    }

    @Override
    public void removeAdmin(String admin, String address, Instant now) {
        cooptation.removeAdmin(admin, address, now);
    }

    @Override
    public void resign(String admin) {
        cooptation.resign(admin);
    }

    @Override
    public void rekey(String admin, String fingerprint) {
        signingKeys.rekey(admin, fingerprint);
    }

    @Override
    public void confirmKey(String admin, String address, String fingerprint) {
        signingKeys.confirmKey(admin, address, fingerprint);
    }
}
