package org.essaim.delivery.lists;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;

/**
 * Accepts RCPT TO a list address (the list or one of its command addresses) on the inbound port, where James'
 * ValidRcptHandler would refuse it as an unknown user: the lists are not accounts. Listed before ValidRcptHandler
 * in smtpserver.xml; the message itself is judged by {@link ListExpansionHook} at the end of DATA.
 */
public class ListRecipientHook implements RcptHook {
    private final MailingLists lists;

    @Inject
    public ListRecipientHook(MailingLists lists) {
        this.lists = lists;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress recipient) {
        return lists.handles(recipient.asString())
                ? HookResult.builder().hookReturnCode(HookReturnCode.ok()).build()
                : HookResult.DECLINED;
    }
}
