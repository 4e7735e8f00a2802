package org.essaim.mailserver.connections;

import javax.inject.Inject;

import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;
import org.essaim.delivery.LineTooLongRefusal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * James' SMTP servers with {@link QuietNetworkErrors} around each connection's handler. A line longer than James'
 * limit inside DATA is noted on the transaction instead of answered at once: James answered "500 Line length
 * exceeded" right away and then "250" for the same DATA (delivering the message without that line), so the client's
 * replies got out of step. {@link LineTooLongRefusal} now gives the one answer, at the end of the message.
 */
public class EssaimSmtpServerFactory extends SMTPServerFactory {

    @Inject
    public EssaimSmtpServerFactory(DNSService dns, ProtocolHandlerLoader loader, FileSystem fileSystem,
                                   MetricFactory metricFactory) {
        super(dns, loader, fileSystem, metricFactory);
    }

    @Override
    protected SMTPServer createServer() {
        return new SMTPServer(smtpMetrics) {
            @Override
            protected ChannelInboundHandlerAdapter createCoreHandler() {
                return new QuietNetworkErrors("SMTP", super.createCoreHandler(), EssaimSmtpServerFactory::noteLongLineInData);
            }
        };
    }

    private static boolean noteLongLineInData(ChannelHandlerContext ctx, TooLongFrameException cause) {
        if (ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get() instanceof ExtendedSMTPSession session
                && session.getMimeMessageWriter() != null) { // the DATA of a transaction is being received
            session.setAttachment(LineTooLongRefusal.LINE_TOO_LONG, Boolean.TRUE, ProtocolSession.State.Transaction);
            return true;
        }
        return false; // a command line: James answers 500 at once, which is right there
    }
}
