package org.essaim.webmail.composing;

import java.util.List;

import com.vaadin.flow.component.ClientCallable;

import elemental.json.JsonArray;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasSize;
import com.vaadin.flow.component.Tag;
import com.vaadin.flow.component.dependency.JsModule;
import com.vaadin.flow.component.dependency.NpmPackage;

import elemental.json.Json;
import elemental.json.JsonArray;
import elemental.json.JsonObject;

/**
 * Server-side handle of {@code <essaim-composer>} (frontend/webmail/essaim-composer.js), the client-side part of
 * the composer that holds subject, body, attachments and the signed/deniable choice. Java gives it public
 * material (recipients and their public keys, Message-ID, threading headers, ciphertext of a draft or an
 * original) and receives only ciphertext from it, except a clear copy the user explicitly confirmed for
 * recipients without a key. No property of the element is synchronised back to the server.
 */
@Tag("essaim-composer")
@NpmPackage(value = "openpgp", version = "6.3.2")
@NpmPackage(value = "idb", version = "8.0.4")
@NpmPackage(value = "postal-mime", version = "4.0.0")
@JsModule("./crypto/essaim-crypto.js")
@JsModule("./webmail/essaim-composer.js")
public class ComposerElement extends Component implements HasSize {

    /** What the composer does with the ciphertext the browser made; implemented by the view. */
    public interface Actions {
        /** @return an error message for the user, or "" when sent */
        String send(OutgoingCiphertext message);

        /** @return an error message for the user, or "" when saved */
        String saveDraft(DraftCiphertext draft);

        void rememberSignDefault(boolean sign);
    }

    private final Actions actions;

    public ComposerElement(String account, boolean signDefault, String messageId, Actions actions) {
        this.actions = actions;
        getElement().setProperty("account", account);
        getElement().setProperty("signDefault", signDefault);
        getElement().setProperty("messageId", messageId);
        setRecipients(List.of());
    }

    /** The recipients the element encrypts to, with the key Java found for each (the browser adds contacts' keys). */
    public void setRecipients(List<RecipientKey> recipients) {
        JsonArray array = Json.createArray();
        for (RecipientKey recipient : recipients) {
            JsonObject item = Json.createObject();
            item.put("address", recipient.address());
            item.put("kind", recipient.kind().name().toLowerCase());
            if (recipient.armored() != null) {
                item.put("armored", recipient.armored());
                item.put("source", recipient.source());
            }
            array.set(array.length(), item);
        }
        getElement().setPropertyJson("recipients", array);
    }

    /** The user changed the addresses: the element's autosave then keeps them in the next draft version. */
    public void markChanged() {
        getElement().callJsFunction("markChanged");
    }

    public void setThreading(String inReplyTo, String references) {
        getElement().setProperty("inReplyTo", inReplyTo == null ? "" : inReplyTo);
        getElement().setProperty("references", references == null ? "" : references);
    }

    /** An answer: the element takes the decrypted original from the reader, or decrypts {@code originalArmored}. */
    public void answer(String mode, String folder, long uid, String originalArmored) {
        getElement().setProperty("mode", mode);
        if (originalArmored != null) {
            getElement().setProperty("originalArmored", originalArmored);
        }
        getElement().setProperty("answerKey", folder + "/" + uid);
    }

    /** A draft to reopen: decrypted and refilled in the browser. */
    public void reopenDraft(String armored) {
        getElement().setProperty("draftArmored", armored);
    }

    @ClientCallable
    private String send(String armoredMessage, String encryptedSubject, String clearMime, String clearRecipients,
            String dateMillis, JsonArray bccCopies) {
        try {
            return actions.send(OutgoingCiphertext.of(armoredMessage, encryptedSubject, clearMime, clearRecipients,
                    dateMillis, OutgoingCiphertext.BccCopy.listOf(bccCopies)));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @ClientCallable
    private String saveDraft(String armoredMessage, String encryptedSubject, String dateMillis) {
        try {
            return actions.saveDraft(DraftCiphertext.of(armoredMessage, encryptedSubject, dateMillis));
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * Does nothing, and that is its use: the browser's calls are handled in order, so once this one is answered every
     * change the page sent before it (an address typed into To just before Send) is handled, and its recipients set.
     */
    @ClientCallable
    private void settled() {
        // answered after the calls sent before it
    }

    @ClientCallable
    private void rememberSignDefault(boolean sign) {
        actions.rememberSignDefault(sign);
    }
}
