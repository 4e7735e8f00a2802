package org.essaim.webmail;

import java.util.stream.Stream;

import com.vaadin.flow.data.provider.AbstractBackEndDataProvider;
import com.vaadin.flow.data.provider.Query;

/**
 * The message list of one folder, newest first, read lazily over IMAP: the Grid asks for the count (the
 * folder's message count) and then only for the rows it shows, each page one FETCH of a message-number
 * range (see {@link MessageRows}). The count is taken once per refresh and pages are computed from it, so mail arriving meanwhile
 * does not shift the rows already shown; it appears at the top after the next refresh.
 */
class MessageListDataProvider extends AbstractBackEndDataProvider<MessageRow, Void> {
    private final MailboxConnection mailbox;
    private final MessageRows rows;
    private final String folder;
    private int total = -1;

    MessageListDataProvider(MailboxConnection mailbox, String folder) {
        this.mailbox = mailbox;
        this.rows = new MessageRows(mailbox);
        this.folder = folder;
    }

    @Override
    protected int sizeInBackEnd(Query<MessageRow, Void> query) {
        total = mailbox.messageCount(folder);
        return total;
    }

    @Override
    protected Stream<MessageRow> fetchFromBackEnd(Query<MessageRow, Void> query) {
        if (total < 0) {
            total = mailbox.messageCount(folder);
        }
        // Row 0 is the newest message, i.e. message number `total`.
        int newest = total - query.getOffset();
        int oldest = Math.max(1, newest - query.getLimit() + 1);
        return rows.page(folder, oldest, newest).stream();
    }

    @Override
    public void refreshAll() {
        total = -1;
        super.refreshAll();
    }

    @Override
    public Object getId(MessageRow message) {
        return message.uid();
    }
}
