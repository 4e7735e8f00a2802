package org.essaim.delivery.spam;

import java.util.Optional;

import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;

/**
 * Where a local account's copy of a message is filed. The spam check records junk with James' own per-recipient
 * storage directive ({@code DeliveryPath_<address>}, the attribute LocalDelivery honours, as James' WithStorageDirective
 * mailet sets it), so the folder choice survives the queue; in-session delivery reads it with {@link #folderFor}.
 */
public final class SpamFolder {
    /** The folder junk goes to (created on first delivery when missing). */
    public static final String NAME = "Spam";
    public static final String INBOX = "INBOX";
    /**
     * The IMAP keyword on a message the member's browser filter (not the member) moved into Spam: that move is not a
     * vote on its sender ({@link SpamMoveListener}). The webmail takes it off before an undo, which is a vote.
     */
    public static final String FILED_BY_BROWSER_FILTER = "$EssaimFilterMoved";
    static final String DELIVERY_PATH_PREFIX = "DeliveryPath_";

    private SpamFolder() {
    }

    static void fileAsJunk(Mail mail, String account) {
        mail.setAttribute(new Attribute(AttributeName.of(DELIVERY_PATH_PREFIX + account), AttributeValue.of(NAME)));
    }

    /** The folder for an account's copy: {@value #NAME} when the spam check junked it, otherwise {@value #INBOX}. */
    public static String folderFor(Mail mail, String account) {
        Optional<String> path = mail.getAttribute(AttributeName.of(DELIVERY_PATH_PREFIX + account))
                .flatMap(attribute -> attribute.getValue().valueAs(String.class));
        return path.orElse(INBOX);
    }
}
