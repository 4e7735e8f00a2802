package org.essaim.mailserver.connections;

import org.apache.james.pop3server.netty.POP3Server;
import org.apache.james.pop3server.netty.POP3ServerFactory;

import io.netty.channel.ChannelInboundHandlerAdapter;

/** James' POP3 servers with {@link QuietNetworkErrors} around each connection's handler. */
public class EssaimPop3ServerFactory extends POP3ServerFactory {

    @Override
    protected POP3Server createServer() {
        return new POP3Server() {
            @Override
            protected ChannelInboundHandlerAdapter createCoreHandler() {
                return new QuietNetworkErrors("POP3", super.createCoreHandler(), QuietNetworkErrors.LongLines.JAMES_ANSWERS);
            }
        };
    }
}
