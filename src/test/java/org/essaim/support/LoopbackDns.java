package org.essaim.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A real DNS server on a free loopback UDP port, answering A queries from a table the test fills (other names get
 * NXDOMAIN). Enough for DNS blocklists; point Essaim at it with {@code essaim.dns.servers=127.0.0.1:<port>}.
 */
public final class LoopbackDns implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<Name, InetAddress> addresses = new ConcurrentHashMap<>();
    private final Thread thread;

    public LoopbackDns() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
        thread = new Thread(this::serve, "loopback-dns");
        thread.setDaemon(true);
        thread.start();
    }

    public String server() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    public void answer(String name, String address) {
        try {
            addresses.put(Name.fromString(name.endsWith(".") ? name : name + "."), InetAddress.getByName(address));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                Record question = query.getQuestion();
                response.addRecord(question, Section.QUESTION);
                InetAddress address = question.getType() == Type.A ? addresses.get(question.getName()) : null;
                if (address != null) {
                    response.addRecord(new ARecord(question.getName(), DClass.IN, 60, address), Section.ANSWER);
                } else {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
