package org.essaim.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real DNS server for tests: dnsjava answering on UDP and TCP port 53 of a loopback address, from records the test
 * adds (A, MX, TXT) and may change while it runs. Unknown names answer NXDOMAIN, known names without the type NOERROR
 * with no answer. Port 53, because James' MX resolver takes host names only.
 */
public final class TestDns implements AutoCloseable {
    private static final long TTL = 1;
    private final Map<String, List<Record>> records = new ConcurrentHashMap<>();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private TestDns(InetAddress address) throws IOException {
        udp = new DatagramSocket(new InetSocketAddress(address, 53));
        tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(address, 53));
        start("test-dns-udp", this::serveUdp);
        start("test-dns-tcp", this::serveTcp);
    }

    public static TestDns on(String loopbackAddress) {
        try {
            return new TestDns(InetAddress.getByName(loopbackAddress));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String address() {
        return udp.getLocalAddress().getHostAddress();
    }

    public TestDns a(String name, String address) {
        return add(name, parsed -> new ARecord(parsed, DClass.IN, TTL, addressOf(address)));
    }

    public TestDns mx(String name, int priority, String host) {
        return add(name, parsed -> new MXRecord(parsed, DClass.IN, TTL, priority, nameOf(host)));
    }

    public TestDns txt(String name, String text) {
        // long texts go in 255-byte strings, as zone files write them
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < text.length(); i += 255) {
            strings.add(text.substring(i, Math.min(text.length(), i + 255)));
        }
        return add(name, parsed -> new TXTRecord(parsed, DClass.IN, TTL, strings));
    }

    public TestDns remove(String name, int type) {
        records.computeIfPresent(key(name), (k, list) -> {
            List<Record> kept = new ArrayList<>(list);
            kept.removeIf(record -> record.getType() == type);
            return kept;
        });
        return this;
    }

    private TestDns add(String name, java.util.function.Function<Name, Record> factory) {
        Record record = factory.apply(nameOf(name));
        records.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    byte[] answer(byte[] query) throws IOException {
        Message request = new Message(query);
        Message response = new Message(request.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (request.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
            response.getHeader().setFlag(Flags.RA);
        }
        Record question = request.getQuestion();
        response.addRecord(question, Section.QUESTION);
        List<Record> atName = records.get(key(question.getName().toString()));
        if (atName == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
        } else {
            atName.stream().filter(r -> r.getType() == question.getType() || question.getType() == Type.ANY)
                    .forEach(r -> response.addRecord(r, Section.ANSWER));
        }
        return response.toWire();
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (running) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] reply = answer(query);
                if (reply.length > 512) {
                    Message truncated = new Message(query);
                    truncated.getHeader().setFlag(Flags.QR);
                    truncated.getHeader().setFlag(Flags.TC);
                    reply = truncated.toWire();
                }
                udp.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (running) {
            try (Socket client = tcp.accept()) {
                client.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(client.getInputStream());
                DataOutputStream out = new DataOutputStream(client.getOutputStream());
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                byte[] reply = answer(query);
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void start(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
    }

    private static String key(String name) {
        String lower = name.toLowerCase();
        return lower.endsWith(".") ? lower : lower + ".";
    }

    private static Name nameOf(String name) {
        try {
            return Name.fromString(key(name));
        } catch (TextParseException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static InetAddress addressOf(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
