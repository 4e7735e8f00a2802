package org.essaim.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.microsoft.playwright.Page;

/**
 * Everything a page sends: every request body (HTTP, fetch, XHR, form posts) and every websocket frame
 * (Vaadin's push channel), recorded from before the first navigation. Tests use it to prove that a secret
 * never left the browser, next to a positive control proving that the recording does see what was sent.
 */
public final class BrowserTraffic {

    /** One thing the page sent: where to, and the raw bytes. */
    public record Sent(String channel, String target, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return channel + " " + target + " (" + body.length + " bytes)";
        }
    }

    private final List<Sent> sent = new ArrayList<>();

    private BrowserTraffic() {
    }

    /** Starts recording all requests of the page's context and all websocket frames the page sends. */
    public static BrowserTraffic record(Page page) {
        BrowserTraffic traffic = new BrowserTraffic();
        page.context().onRequest(request -> {
            byte[] body = request.postDataBuffer();
            traffic.add(new Sent("http " + request.method(), request.url(), body == null ? new byte[0] : body));
        });
        page.onWebSocket(socket -> {
            traffic.socketOpened();
            socket.onFrameSent(frame -> {
                byte[] body = frame.binary() != null ? frame.binary() : frame.text().getBytes(StandardCharsets.UTF_8);
                traffic.add(new Sent("websocket", socket.url(), body));
            });
        });
        return traffic;
    }

    private int websockets;

    private synchronized void socketOpened() {
        websockets++;
    }

    /** How many websockets the page opened (Vaadin push); their sent frames are in {@link #all()}. */
    public synchronized int websocketsOpened() {
        return websockets;
    }

    private synchronized void add(Sent item) {
        sent.add(item);
    }

    public synchronized List<Sent> all() {
        return List.copyOf(sent);
    }

    /** The sent items whose bytes contain the text (UTF-8) or any of its usual encodings in transit. */
    public List<Sent> containing(String text) {
        List<byte[]> forms = new ArrayList<>();
        forms.add(text.getBytes(StandardCharsets.UTF_8));
        forms.add(java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        forms.add(jsonEscaped(text).getBytes(StandardCharsets.UTF_8));
        forms.add(Base64.getEncoder().encode(text.getBytes(StandardCharsets.UTF_8)));
        return containingAny(forms);
    }

    /** The sent items whose raw bytes contain the given bytes. */
    public List<Sent> containingBytes(byte[] needle) {
        return containingAny(List.of(needle));
    }

    /**
     * The sent items holding the bytes raw, or base64-encoded at any alignment (line breaks ignored): how a
     * binary OpenPGP packet would travel inside armor, JSON or a form.
     */
    public List<Sent> containingBytesOrBase64(byte[] secret) {
        List<Sent> hits = new ArrayList<>(containingBytes(secret));
        for (Sent item : all()) {
            if (hits.contains(item)) {
                continue;
            }
            String compact = item.text().replaceAll("\\\\n|\\\\r|\\s", "");
            for (int offset = 0; offset < 3 && secret.length - offset >= 24; offset++) {
                byte[] aligned = java.util.Arrays.copyOfRange(secret, offset, offset + 24);
                if (compact.contains(Base64.getEncoder().encodeToString(aligned))) {
                    hits.add(item);
                    break;
                }
            }
        }
        return hits;
    }

    private List<Sent> containingAny(List<byte[]> needles) {
        List<Sent> hits = new ArrayList<>();
        for (Sent item : all()) {
            for (byte[] needle : needles) {
                if (needle.length > 0 && indexOf(item.body(), needle) >= 0) {
                    hits.add(item);
                    break;
                }
            }
        }
        return hits;
    }

    private static String jsonEscaped(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
