package org.essaim.mailserver.imap;

import java.lang.reflect.Field;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.encode.ImapEncoder;
import org.apache.james.imapserver.netty.IMAPServer;
import org.apache.james.imapserver.netty.ImapMetrics;
import org.apache.james.metrics.api.GaugeRegistry;

/**
 * James' IMAP server with Essaim's greeting: {@code * OK mail.example.org Essaim IMAP4rev1 server ready}. James
 * 3.8.1 builds the greeting ("JAMES IMAP4rev1 Server &lt;hello name&gt; is ready.") into a private field while
 * configuring and offers no setting for it, so the field is replaced right after configuration (the only
 * reflection in Essaim's mail server; a test reads the greeting, so a James upgrade that renames it is caught).
 */
class EssaimImapServer extends IMAPServer {

    EssaimImapServer(ImapDecoder decoder, ImapEncoder encoder, ImapProcessor processor, ImapMetrics imapMetrics,
                     GaugeRegistry gaugeRegistry) {
        super(decoder, encoder, processor, imapMetrics, gaugeRegistry);
    }

    @Override
    public void doConfigure(HierarchicalConfiguration<ImmutableNode> configuration) throws ConfigurationException {
        super.doConfigure(configuration);
        try {
            Field hello = IMAPServer.class.getDeclaredField("hello");
            hello.setAccessible(true);
            hello.set(this, getHelloName() + " Essaim IMAP4rev1 server ready");
        } catch (ReflectiveOperationException e) {
            throw new ConfigurationException("Cannot set Essaim's IMAP greeting on this James version", e);
        }
    }
}
