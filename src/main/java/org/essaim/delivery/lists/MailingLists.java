package org.essaim.delivery.lists;

import java.util.List;
import java.util.Optional;

/**
 * What the SMTP session asks the mailing lists (package {@code lists}, a Spring service lent to James' injector like
 * {@link org.essaim.delivery.RecipientKeys}): plain types only, so the delivery hooks need no Spring and the lists no
 * James type.
 */
public interface MailingLists {

    /**
     * Whether mail to this address of this server is for the lists: a list, or one of its command addresses
     * ({@code name-subscribe@}, {@code name-unsubscribe@}, {@code name-confirm+…@}, {@code name-bounces+…@},
     * {@code name-owner@}).
     */
    boolean handles(String address);

    /**
     * Receives one message for one list address, in the SMTP session, before anything is stored. Refusals say why in
     * words the sender reads; accepted mail says which copies to deliver (each list member's own, notices to owners,
     * confirmations) and what to do once they are delivered (the archive).
     */
    Outcome receive(Arrival arrival);

    /** Lists are unknown (before the application is up): every address is left to ordinary delivery. */
    MailingLists NONE = new MailingLists() {
        @Override
        public boolean handles(String address) {
            return false;
        }

        @Override
        public Outcome receive(Arrival arrival) {
            // English only: delivery has no bundles (it loads into a stock James), and no hook calls this, since
            // handles() is false; the lists' own refusals are in every language (lists/ListService).
            return Outcome.refused(451, "4.3.0 Mailing lists are not available yet; try again later");
        }
    };

    /**
     * One message for one list address.
     *
     * @param recipient           the list address it was sent to (lower case)
     * @param envelopeSender      MAIL FROM, empty for the null sender
     * @param authenticatedUser   the account that logged in to send it (submission), empty on port 25
     * @param authentication      the arrival checks' verdict string (org.essaim.authentication), empty when none
     * @param message             the message as received (plaintext or not: the lists decide)
     */
    record Arrival(String recipient, Optional<String> envelopeSender, Optional<String> authenticatedUser,
                   Optional<String> authentication, byte[] message) { }

    /**
     * What to answer and deliver.
     *
     * @param refusalCode   0 when accepted, otherwise the SMTP code (4xx or 5xx)
     * @param refusalText   the enhanced status code and the reason, for the SMTP answer
     * @param copies        what to deliver now (each to its own recipient)
     * @param afterDelivery run once every copy is delivered (e.g. writing the archive)
     */
    record Outcome(int refusalCode, String refusalText, List<Copy> copies, Runnable afterDelivery) {

        public static Outcome refused(int code, String text) {
            return new Outcome(code, text, List.of(), () -> { });
        }

        public static Outcome accepted(List<Copy> copies, Runnable afterDelivery) {
            return new Outcome(0, "", List.copyOf(copies), afterDelivery);
        }

        public boolean isRefused() {
            return refusalCode != 0;
        }
    }

    /**
     * One message to deliver to one address: a local account's copy is encrypted to its own key and stored, a
     * remote one leaves through the outgoing queue (signed like every outgoing mail).
     *
     * @param envelopeSender the return path (a list's bounce address, or empty for the null sender)
     */
    record Copy(Optional<String> envelopeSender, String recipient, byte[] message) { }
}
