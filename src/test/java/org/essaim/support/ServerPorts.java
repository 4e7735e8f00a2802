package org.essaim.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free ports for servers a test starts a little later, and may restart on the same ports. They are taken below the
 * kernel's ephemeral range: a port chosen inside it can become the local port of any process's outgoing connection
 * before the server binds it, and a restart on fixed ports then fails ("Port … is already in use": a StandbyTest
 * child restarting its primary, with three test JVMs connecting at once). Outgoing connections never take a port
 * below that range. A port chosen is not yet bound (the server binds it seconds later), so two choices must not meet:
 * this JVM never hands out the same port twice, and each Surefire test JVM takes its ports from its own share of the
 * range ({@code essaim.test.fork}, set from {@code surefire.forkNumber} in pom.xml). Without that, StandbyTest's
 * primary lost its chosen web port to a server another test JVM started meanwhile, and moved.
 * {@link EssaimInstance} still chooses again when a start that may move meets a taken port.
 */
final class ServerPorts {
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int LOWEST = 10_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private ServerPorts() {
    }

    /** A port no socket uses now and this JVM never handed out, from this test JVM's share of the range below the ephemeral one. */
    static int free() {
        int ephemeralStart = ephemeralStart();
        if (ephemeralStart - LOWEST >= 1_000) {
            int forks = Math.max(1, Integer.getInteger("essaim.test.forks", 1));
            int fork = Math.min(Math.max(1, Integer.getInteger("essaim.test.fork", 1)), forks);
            int share = (ephemeralStart - LOWEST) / forks;
            int from = LOWEST + (fork - 1) * share;
            for (int attempt = 0; attempt < 100; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(from, from + share);
                if (bindable(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        return anyFree(); // no range known (not Linux) or no luck: the kernel's choice, as before
    }

    private static int ephemeralStart() {
        try {
            // line by line: procfs files report no size, and Files.readString then reads only the first byte
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the servers bind: a port in TIME_WAIT is usable
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int anyFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
