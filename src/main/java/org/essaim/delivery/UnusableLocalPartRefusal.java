package org.essaim.delivery;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * A recipient in one of our domains whose local part no account can have, such as the quoted
 * {@code "victim@example.net"@essaim.test} (valid RFC 5321 syntax), is refused at RCPT with 553 and the reason.
 * James 3.8.1 turns such a local part into an account name that its Username check rejects, and every recipient
 * check after that failed with {@code 451 Unexpected error}: the sender was told to try again for days. Listed
 * first among the recipient hooks in smtpserver.xml.
 */
public class UnusableLocalPartRefusal implements RcptHook {

    static final HookResult NO_SUCH_ADDRESS_HERE = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("553")
            .smtpDescription("5.1.3 No mailbox here can have this address: its local part (e.g. a quoted one "
                    + "containing @) is not used on this server")
            .build();

    private final DomainList domains;

    @Inject
    public UnusableLocalPartRefusal(DomainList domains) {
        this.domains = domains;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        if (!isLocal(recipient)) {
            return HookResult.DECLINED; // another server's addresses are its business
        }
        try {
            Username.fromLocalPartWithDomain(recipient.getLocalPart(), recipient.getDomain());
            return HookResult.DECLINED;
        } catch (IllegalArgumentException e) {
            return NO_SUCH_ADDRESS_HERE;
        }
    }

    private boolean isLocal(MailAddress recipient) {
        try {
            return domains.containsDomain(recipient.getDomain());
        } catch (DomainListException e) {
            return false;
        }
    }
}
