package org.essaim.mailserver;

import javax.activation.CommandMap;
import javax.activation.MailcapCommandMap;

/**
 * James 3.8 uses javax.mail, the webmail uses Jakarta (Angus) Mail. javax.activation reads every
 * META-INF/mailcap on the classpath, Angus' included, and would hand James jakarta content handlers
 * (ClassCastException on saveChanges, mail ending in the error repository). Registering the javax
 * handlers programmatically gives them precedence.
 */
final class JavaxMailcap {

    private JavaxMailcap() {
    }

    static void install() {
        MailcapCommandMap map = new MailcapCommandMap();
        map.addMailcap("text/plain;; x-java-content-handler=com.sun.mail.handlers.text_plain");
        map.addMailcap("text/html;; x-java-content-handler=com.sun.mail.handlers.text_html");
        map.addMailcap("text/xml;; x-java-content-handler=com.sun.mail.handlers.text_xml");
        map.addMailcap("multipart/*;; x-java-content-handler=com.sun.mail.handlers.multipart_mixed; x-java-fallback-entry=true");
        map.addMailcap("message/rfc822;; x-java-content-handler=com.sun.mail.handlers.message_rfc822");
        CommandMap.setDefaultCommandMap(map);
    }
}
