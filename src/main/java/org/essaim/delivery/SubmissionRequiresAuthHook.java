package org.essaim.delivery;

import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.MailHook;

/**
 * On the submission port every transaction belongs to a logged-in user: MAIL FROM without AUTH is refused,
 * whether the recipients are local or not (James alone would accept unauthenticated mail for local users).
 */
public class SubmissionRequiresAuthHook implements MailHook {

    static final HookResult AUTHENTICATION_REQUIRED = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.AUTH_REQUIRED)
            .smtpDescription("5.7.0 Authentication required on the submission port")
            .build();

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        return session.getUsername() == null ? AUTHENTICATION_REQUIRED : HookResult.DECLINED;
    }
}
