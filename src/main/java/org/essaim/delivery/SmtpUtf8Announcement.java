package org.essaim.delivery;

import java.util.List;

import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.esmtp.EhloExtension;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailParametersHook;

/**
 * EHLO announces SMTPUTF8 (RFC 6531) and MAIL FROM accepts its parameter: mail with raw UTF-8 header fields
 * (RFC 6532) is taken and kept byte for byte (James' header writer is corrected for that, see
 * {@code org.apache.james.server.core.InternetHeadersInputStream} in this code base). 8BITMIME James announces
 * already. James 3.8.1 has no SMTPUTF8; its master gained the same two hooks with JAMES-4133.
 */
public class SmtpUtf8Announcement implements EhloExtension, MailParametersHook {

    @Override
    public List<String> getImplementedEsmtpFeatures(SMTPSession session) {
        return List.of("SMTPUTF8");
    }

    @Override
    public HookResult doMailParameter(SMTPSession session, String paramName, String paramValue) {
        return HookResult.DECLINED; // nothing to do: the message is kept as it comes
    }

    @Override
    public String[] getMailParamNames() {
        return new String[] {"SMTPUTF8"};
    }
}
