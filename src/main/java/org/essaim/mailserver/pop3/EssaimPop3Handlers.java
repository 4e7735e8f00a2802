package org.essaim.mailserver.pop3;

import java.util.List;

import org.apache.james.pop3server.core.CoreCmdHandlerLoader;
import org.apache.james.protocols.lib.handler.HandlersPackage;
import org.apache.james.protocols.pop3.core.CapaCmdHandler;
import org.apache.james.protocols.pop3.core.WelcomeMessageHandler;

/**
 * James' POP3 core handlers ({@link CoreCmdHandlerLoader}) with Essaim's greeting and CAPA in place of James' and
 * AUTH PLAIN added. Named in pop3server.xml.
 */
public class EssaimPop3Handlers implements HandlersPackage {
    private static final List<String> HANDLERS = new CoreCmdHandlerLoader().getHandlers().stream()
            .map(handler -> handler.equals(WelcomeMessageHandler.class.getName()) ? Pop3Greeting.class.getName()
                    : handler.equals(CapaCmdHandler.class.getName()) ? Pop3Capabilities.class.getName() : handler)
            .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), handlers -> {
                handlers.add(handlers.size() - 1, Pop3AuthPlain.class.getName());
                return List.copyOf(handlers);
            }));

    @Override
    public List<String> getHandlers() {
        return HANDLERS;
    }
}
