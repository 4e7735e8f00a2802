package org.essaim.mailserver.imap;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.EnumSet;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageManager.MailboxMetaData;
import org.reactivestreams.Publisher;

import reactor.core.publisher.Mono;

/**
 * SELECT reports a HIGHESTMODSEQ that covers the \Recent reset SELECT itself performs. James 3.8.1's
 * {@code StoreMessageManager.getMetaDataReactive} reads the highest mod-sequence and then (in the same zip) clears
 * \Recent, which gives the messages a new mod-sequence: a client was told {@code HIGHESTMODSEQ 3} and then saw
 * {@code MODSEQ (4)} on FETCH, and would miss changes in a later CHANGEDSINCE 3 (Essaim issue 14 item 3). When
 * the metadata resets \Recent, the highest mod-sequence is read again after it.
 * <p>A dynamic proxy, like delivery's EncryptingMailboxes: only the metadata calls are intercepted.
 */
public final class HighestModSeqAfterRecentReset {
    private HighestModSeqAfterRecentReset() {
    }

    public static MailboxManager decorate(MailboxManager mailboxManager) {
        return proxy(MailboxManager.class, mailboxManager, (target, method, args) -> {
            Object result = invoke(target, method, args);
            if (method.getName().equals("getMailbox") && result instanceof MessageManager mailbox) {
                return wrap(mailbox);
            }
            if (method.getName().equals("getMailboxReactive") && result instanceof Publisher<?> publisher) {
                return Mono.from(publisher).map(mailbox -> wrap((MessageManager) mailbox));
            }
            return result;
        });
    }

    static MessageManager wrap(MessageManager mailbox) {
        return proxy(MessageManager.class, mailbox, (target, method, args) -> {
            if (method.getName().equals("getMetaDataReactive") && resetsRecentAndWantsModSeq(args)) {
                MailboxSession session = (MailboxSession) args[1];
                return Mono.from(mailbox.getMetaDataReactive((MailboxMetaData.RecentMode) args[0], session, items(args)))
                        .flatMap(metaData -> Mono.defer(() -> {
                            try {
                                return mailbox.getMetaDataReactive(MailboxMetaData.RecentMode.IGNORE, session,
                                        EnumSet.of(MailboxMetaData.Item.HighestModSeq));
                            } catch (org.apache.james.mailbox.exception.MailboxException e) {
                                return Mono.error(e);
                            }
                        }).map(after -> withHighestModSeq(metaData, after)));
            }
            if (method.getName().equals("getMetaData") && resetsRecentAndWantsModSeq(args) && args[2] instanceof EnumSet<?>) {
                MailboxSession session = (MailboxSession) args[1];
                MailboxMetaData metaData = mailbox.getMetaData((MailboxMetaData.RecentMode) args[0], session, items(args));
                return withHighestModSeq(metaData, mailbox.getMetaData(MailboxMetaData.RecentMode.IGNORE, session,
                        EnumSet.of(MailboxMetaData.Item.HighestModSeq)));
            }
            return invoke(target, method, args);
        });
    }

    private static boolean resetsRecentAndWantsModSeq(Object[] args) {
        return args != null && args.length == 3 && args[0] == MailboxMetaData.RecentMode.RESET
                && args[2] instanceof EnumSet<?> items && items.contains(MailboxMetaData.Item.HighestModSeq);
    }

    @SuppressWarnings("unchecked")
    private static EnumSet<MailboxMetaData.Item> items(Object[] args) {
        return (EnumSet<MailboxMetaData.Item>) args[2];
    }

    private static MailboxMetaData withHighestModSeq(MailboxMetaData metaData, MailboxMetaData after) {
        return new MailboxMetaData(metaData.getRecent(), metaData.getPermanentFlags(), metaData.getUidValidity(),
                metaData.getUidNext(), after.getHighestModSeq(), metaData.getMessageCount(), metaData.getUnseenCount(),
                metaData.getFirstUnseen(), metaData.isWriteable(), metaData.getACL());
    }

    private static <T> T proxy(Class<T> type, T target, Handler handler) {
        InvocationHandler invocation = (proxy, method, args) -> handler.handle(target, method, args);
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, invocation));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private interface Handler {
        Object handle(Object target, Method method, Object[] args) throws Throwable;
    }
}
