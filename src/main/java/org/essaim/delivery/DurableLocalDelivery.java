package org.essaim.delivery;

import javax.inject.Inject;
import javax.inject.Named;
import javax.mail.MessagingException;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.transport.mailets.LocalDelivery;
import org.apache.james.user.api.UsersRepository;
import org.apache.mailet.Mail;

/**
 * James' LocalDelivery for mail that did go through the queue (copies a mailbox refused in the SMTP session,
 * bounces and notices for local senders): the queue forgets a mail as soon as this mailet returns, so it returns
 * only once the stored copy is durable. Stock LocalDelivery returned while H2 still held the commit in memory,
 * which is how acknowledged mail was lost on kill -9 (issue 11).
 */
public class DurableLocalDelivery extends LocalDelivery {
    private final DurableCommits durableCommits;

    @Inject
    public DurableLocalDelivery(UsersRepository usersRepository, @Named("mailboxmanager") MailboxManager mailboxManager,
                                MetricFactory metricFactory, DurableCommits durableCommits) {
        super(usersRepository, mailboxManager, metricFactory);
        this.durableCommits = durableCommits;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        super.service(mail);
        try {
            durableCommits.awaitDurable();
        } catch (DurableCommits.NotDurableException e) {
            throw new MessagingException("The delivered copy could not be made durable", e);
        }
    }

    @Override
    public String getMailetInfo() {
        return "Local delivery, durable before the queue forgets the mail";
    }
}
