package org.essaim.admin;

import java.util.function.Consumer;

import org.essaim.keys.PublicKeyDirectory;
import org.essaim.keys.StoredKey;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

/**
 * Signs admin actions in the admin's browser ({@code <essaim-sign-action>}, frontend/governance/essaim-sign-action.js)
 * and submits them through {@link SignedActions}: Java builds the statement, the browser returns only the armored
 * detached signature (the private key and its passphrase stay in the element and the crypto module). The element
 * also shows, where it is placed, why the admin cannot act yet (no key in this browser, not the published key) and
 * asks for the passphrase when the key is locked.
 *
 * <p>A statement names the log's head; when another entry was appended between building and submitting (stale),
 * the statement is built and signed once more automatically. Other refusals come back in the server's words.
 *
 * <p>It lives in {@code admin} next to the {@link SignedActions} port, not in governance, so that the admin pages can
 * use it without a package cycle; governance's co-optation page uses it as well (governance already depends on admin).
 */
@Tag("essaim-sign-action")
@NpmPackage(value = "openpgp", version = "6.3.2")
@NpmPackage(value = "idb", version = "8.0.4")
@JsModule("./crypto/essaim-crypto.js")
@JsModule("./governance/essaim-sign-action.js")
public class ActionSigner extends Component {
    private final String account;
    private final SignedActions signedActions;
    /** One action at a time: a second click while one is being signed would sign (and carry out) it twice. */
    private boolean busy;

    private final PublicKeyDirectory keys;

    public ActionSigner(String account, SignedActions signedActions, PublicKeyDirectory keys) {
        this.account = account;
        this.signedActions = signedActions;
        this.keys = keys;
        setId("sign-action");
        getElement().setProperty("account", account);
        showPublishedKey();
    }

    /**
     * The published key as it is NOW: a key published from the Keys page (this tab or another) after this page was
     * opened must not leave the admin refused until a reload. Read on every attach and before every action.
     */
    private void showPublishedKey() {
        getElement().setProperty("publishedFingerprint", keys.find(account).map(StoredKey::fingerprint).orElse(""));
    }

    @Override
    protected void onAttach(com.vaadin.flow.component.AttachEvent event) {
        showPublishedKey();
    }

    /**
     * Has the action signed in the browser and carried out. Exactly one of the callbacks is called, later, in the
     * UI's request: {@code done} once the action is executed and logged, {@code problem} with a sentence otherwise.
     */
    public void perform(AdminAction action, Consumer<SignedActions.Accepted> done, Consumer<String> problem) {
        if (busy) {
            problem.accept(getTranslation("admin.signBusy"));
            return;
        }
        busy = true;
        showPublishedKey();
        attempt(action, true, accepted -> {
            busy = false;
            done.accept(accepted);
        }, message -> {
            busy = false;
            problem.accept(message);
        });
    }

    private void attempt(AdminAction action, boolean mayRetry, Consumer<SignedActions.Accepted> done,
                         Consumer<String> problem) {
        String statement = signedActions.statementFor(account, action);
        getElement().callJsFunction("signStatement", statement).then(String.class, signature -> {
            SignedActions.Outcome outcome;
            try {
                outcome = signedActions.submit(account, statement, signature);
            } catch (RuntimeException e) { // e.g. the mail server failed midway; the refusal path is not taken
                problem.accept(getTranslation("admin.actionFailed", e.getMessage()));
                return;
            }
            if (outcome instanceof SignedActions.Accepted accepted) {
                done.accept(accepted);
            } else if (outcome instanceof SignedActions.Stale stale && mayRetry) {
                attempt(action, false, done, problem); // someone else acted meanwhile: sign the new head once
            } else if (outcome instanceof SignedActions.Stale stale) {
                problem.accept(getTranslation("admin.staleTwice", stale.message()));
            } else if (outcome instanceof SignedActions.Refused refused) {
                problem.accept(refused.message());
            }
        }, error -> problem.accept(error == null ? getTranslation("admin.signingFailed") : error.replaceFirst("^Error: ", "")));
    }
}
