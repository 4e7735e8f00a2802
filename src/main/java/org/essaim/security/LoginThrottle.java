package org.essaim.security;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.essaim.mailserver.logins.LoginAttempts;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/**
 * Slows password guessing down on every door together (IMAP, POP3, SMTP AUTH, web login, HTTP Basic): per account
 * and per client network, a few free failures, then an exponentially growing wait before the next password is even
 * looked at (1 s, 2 s, 4 s … up to an hour), so a guesser gets a couple of dozen tries in the first hour and about
 * one an hour after that, whatever the number of connections or ports it uses.
 * <p>
 * A client that logged in to an account successfully (a "trusted device": the owner's phone, laptop, the webmail)
 * is not held back by the account's counter, only by a counter of its own: a stranger's guessing cannot lock the
 * owner out of devices that already proved themselves. See docs/security.md.
 * <p>
 * Privacy: everything lives in memory and expires by itself; a client is known only by an HMAC of its address (its
 * /64 for IPv6) under a random key replaced every day (the previous key is kept one more day for look-ups), so no
 * address is ever stored, logged, or recoverable once a key is gone. Connections from this machine itself (the
 * webmail, a reverse proxy on the same host) are throttled per account only: they are not one client.
 * <p>
 * Parallel attempts: an admitted attempt counts as a failure until its door reports the outcome, so many connections
 * at once get no more guesses than one. An attempt that would have to wait only because attempts of the same account
 * or client are still undecided is not refused at once: it waits (a password check takes milliseconds) until they
 * are decided and is then judged as if it had come after them. So a new client opening ten connections with the
 * right password (Thunderbird, a mail queue) gets all of them in, and ten parallel guesses get exactly what ten
 * sequential ones would.
 */
@Component
public class LoginThrottle implements LoginAttempts {

    /** Failures allowed per account before waits start (failures from trusted devices not included). */
    static final int FREE_PER_ACCOUNT = 5;
    /** Failures allowed per client network, over all accounts (password spraying), before waits start. */
    static final int FREE_PER_SOURCE = 20;
    /** Failures allowed to a trusted device for its account (a phone with an old password) before it waits too. */
    static final int FREE_PER_TRUSTED_DEVICE = 10;
    static final Duration LONGEST_WAIT = Duration.ofHours(1);
    /** How long a counter is remembered after its wait ended: one more failure in that time waits long again. */
    static final Duration MEMORY = Duration.ofHours(1);
    static final Duration KEY_LIFETIME = Duration.ofDays(1);
    /**
     * An attempt whose door reported no outcome within this time (a lost connection) stops holding later attempts
     * back; its charge stays a failure. Also the longest a parallel attempt waits for earlier ones to be decided.
     */
    static final Duration UNDECIDED_AT_MOST = Duration.ofSeconds(10);
    private static final int MAX_ENTRIES = 200_000;
    private static final int MAX_UNDECIDED_DEVICES = 1_000;

    private static final String ACCOUNT = "account:";
    private static final String SOURCE = "source";
    private static final String DEVICE = "device";

    private final Clock clock;
    private final Cache<String, Failures> failures;
    private final Cache<String, Instant> trustedDevices;
    /** Admitted attempts whose outcome is not known yet, per device key (today's); guarded by this. */
    private final Map<String, Deque<Undecided>> undecided = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile Keys keys;

    public LoginThrottle() {
        this(Clock.systemUTC());
    }

    LoginThrottle(Clock clock) {
        this.clock = clock;
        this.failures = Caffeine.newBuilder()
                .ticker(() -> clock.millis() * 1_000_000L)
                .maximumSize(MAX_ENTRIES)
                .expireAfter(Expiry.<String, Failures>writing((key, value) -> untilForgotten(value)))
                .build();
        this.trustedDevices = Caffeine.newBuilder()
                .ticker(() -> clock.millis() * 1_000_000L)
                .maximumSize(MAX_ENTRIES)
                .expireAfterWrite(KEY_LIFETIME.multipliedBy(2)) // its key is gone by then anyway
                .build();
        this.keys = new Keys(newKey(), newKey(), clock.instant());
    }

    @Override
    public Duration admit(String account, InetAddress client) {
        String login = normalized(account);
        boolean thisMachine = isThisMachine(client);
        long patienceEnds = System.nanoTime() + UNDECIDED_AT_MOST.toNanos();
        synchronized (this) { // checked and counted together: parallel connections get no extra attempts
            while (true) {
                Instant now = clock.instant();
                Keys current = keys(now);
                List<String> device = current.hashes(DEVICE, login, client);
                // Each counter to check, as its look-up keys (today's key first); the attempt is counted under the first.
                List<List<String>> counters;
                if (isTrusted(device)) {
                    counters = List.of(device);
                } else if (thisMachine) {
                    counters = List.of(List.of(ACCOUNT + login));
                } else {
                    counters = List.of(List.of(ACCOUNT + login), current.hashes(SOURCE, "", client));
                }
                Duration wait = Duration.ZERO;
                for (List<String> lookup : counters) {
                    Duration counterWait = read(lookup, now).waitAt(now);
                    wait = counterWait.compareTo(wait) > 0 ? counterWait : wait;
                }
                if (wait.isZero()) {
                    List<String> charged = counters.stream().map(lookup -> lookup.get(0)).toList();
                    for (List<String> lookup : counters) {
                        failures.put(lookup.get(0), read(lookup, now).plusOne(now, freeFor(lookup.get(0))));
                    }
                    if (undecided.size() > MAX_UNDECIDED_DEVICES) {
                        undecidedOn(List.of(), now); // forgets attempts left undecided too long
                    }
                    undecided.computeIfAbsent(device.get(0), key -> new ArrayDeque<>()).add(new Undecided(charged, now));
                    return wait;
                }
                long patienceLeft = patienceEnds - System.nanoTime();
                if (!undecidedOn(counters, now) || patienceLeft <= 0) {
                    return wait;
                }
                try {
                    wait(Math.max(1, Duration.ofNanos(patienceLeft).toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return wait;
                }
            }
        }
    }

    @Override
    public synchronized void succeeded(String account, InetAddress client) {
        String login = normalized(account);
        Instant now = clock.instant();
        Keys current = keys(now);
        List<String> device = current.hashes(DEVICE, login, client);
        Undecided attempt = decide(device);
        if (isTrusted(device)) {
            device.forEach(failures::invalidate);
        }
        if (attempt != null) {
            attempt.charged().stream().filter(key -> !key.startsWith(DEVICE)).forEach(key -> takeBack(List.of(key), now));
        } else if (!isTrusted(device)) { // no admitted attempt known (the daily key changed meanwhile)
            takeBack(List.of(ACCOUNT + login), now);
            if (!isThisMachine(client)) {
                takeBack(current.hashes(SOURCE, "", client), now);
            }
        }
        trustedDevices.put(device.get(0), now);
        notifyAll();
    }

    @Override
    public synchronized void failed(String account, InetAddress client) {
        decide(keys(clock.instant()).hashes(DEVICE, normalized(account), client)); // its charge stays a failure
        notifyAll();
    }

    /** The oldest undecided attempt of this device, now decided. */
    private Undecided decide(List<String> device) {
        for (String key : device) {
            Deque<Undecided> attempts = undecided.get(key);
            if (attempts != null) {
                Undecided attempt = attempts.poll();
                if (attempts.isEmpty()) {
                    undecided.remove(key);
                }
                return attempt;
            }
        }
        return null;
    }

    /** Whether an attempt charged to one of these counters is still undecided (forgetting ones left too long). */
    private boolean undecidedOn(List<List<String>> counters, Instant now) {
        Set<String> keys = new HashSet<>();
        counters.forEach(lookup -> keys.add(lookup.get(0)));
        boolean found = false;
        for (Iterator<Deque<Undecided>> perDevice = undecided.values().iterator(); perDevice.hasNext(); ) {
            Deque<Undecided> attempts = perDevice.next();
            attempts.removeIf(attempt -> !now.isBefore(attempt.since().plus(UNDECIDED_AT_MOST)));
            if (attempts.isEmpty()) {
                perDevice.remove();
            } else if (!found) {
                found = attempts.stream().anyMatch(attempt -> attempt.charged().stream().anyMatch(keys::contains));
            }
        }
        return found;
    }

    /**
     * Marks a client as a trusted device of an account without a login from it: the web login, once the password is
     * proven, trusts the address the webmail's own IMAP and SMTP connections come from, so an open webmail keeps
     * working while a stranger locks the account.
     */
    public void trust(String account, InetAddress client) {
        Instant now = clock.instant();
        trustedDevices.put(keys(now).hashes(DEVICE, normalized(account), client).get(0), now);
    }

    /** Failures counted for an account now (tests; an admin view later). */
    int failuresOf(String account) {
        return read(List.of(ACCOUNT + normalized(account)), clock.instant()).count();
    }

    /** Everything the throttle remembers is keyed by these: accounts, and keyed hashes of clients (tests). */
    Set<String> rememberedKeys() {
        Set<String> keys = new HashSet<>(failures.asMap().keySet());
        keys.addAll(trustedDevices.asMap().keySet());
        return keys;
    }

    private synchronized void takeBack(List<String> keys, Instant now) {
        Failures before = read(keys, now);
        if (before.count() > 0) {
            failures.put(keys.get(0), before.minusOne());
        }
    }

    /** The counter under the current key, else under the previous key (a client seen before the daily change). */
    private Failures read(List<String> keys, Instant now) {
        for (String key : keys) {
            Failures counted = failures.getIfPresent(key);
            if (counted != null && now.isBefore(counted.forgetAt())) {
                return counted;
            }
        }
        return Failures.NONE;
    }

    private boolean isTrusted(List<String> device) {
        return device.stream().anyMatch(key -> trustedDevices.getIfPresent(key) != null);
    }

    private static int freeFor(String key) {
        return key.startsWith(ACCOUNT) ? FREE_PER_ACCOUNT : key.startsWith(SOURCE) ? FREE_PER_SOURCE : FREE_PER_TRUSTED_DEVICE;
    }

    private Duration untilForgotten(Failures value) {
        Duration left = Duration.between(clock.instant(), value.forgetAt());
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String normalized(String account) {
        return account == null ? "" : account.trim().toLowerCase(Locale.ROOT);
    }

    /** The webmail and a reverse proxy on this host connect from one of its own addresses. */
    private static boolean isThisMachine(InetAddress client) {
        try {
            return client.isAnyLocalAddress() || NetworkInterface.getByInetAddress(client) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private synchronized Keys keys(Instant now) {
        Duration age = Duration.between(keys.since(), now);
        if (age.compareTo(KEY_LIFETIME.multipliedBy(2)) >= 0) {
            keys = new Keys(newKey(), newKey(), now); // both keys are too old: nothing seen under them counts
        } else if (age.compareTo(KEY_LIFETIME) >= 0) {
            keys = new Keys(newKey(), keys.current(), now);
        }
        return keys;
    }

    private byte[] newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return key;
    }

    /**
     * Failed attempts of one account, network or device, the last one at {@code last}: past {@code free} failures the
     * next attempt waits 1 s, then 2 s, 4 s … doubling up to {@link #LONGEST_WAIT}.
     */
    record Failures(int count, Instant last, int free) {
        static final Failures NONE = new Failures(0, Instant.EPOCH, Integer.MAX_VALUE);

        Duration waitAt(Instant now) {
            Instant notBefore = last.plus(waitAfterLast());
            return now.isBefore(notBefore) ? Duration.between(now, notBefore) : Duration.ZERO;
        }

        Duration waitAfterLast() {
            if (count < free) {
                return Duration.ZERO;
            }
            int doublings = count - free;
            return doublings >= 12 ? LONGEST_WAIT : min(Duration.ofSeconds(1L << doublings), LONGEST_WAIT);
        }

        Instant forgetAt() {
            return count == 0 ? Instant.EPOCH : last.plus(waitAfterLast()).plus(MEMORY);
        }

        Failures plusOne(Instant now, int freeAllowed) {
            return new Failures(count + 1, now, freeAllowed);
        }

        Failures minusOne() {
            return new Failures(count - 1, last, free);
        }

        private static Duration min(Duration a, Duration b) {
            return a.compareTo(b) <= 0 ? a : b;
        }
    }

    /** An admitted attempt not decided yet: the counters it was charged to, and when. */
    private record Undecided(List<String> charged, Instant since) {
    }

    /** Today's and yesterday's HMAC keys; a client's address is only ever seen through them. */
    private record Keys(byte[] current, byte[] previous, Instant since) {

        /** The client's key under today's key first, then under yesterday's. */
        List<String> hashes(String kind, String account, InetAddress client) {
            return List.of(kind + ":" + hash(current, account, client), kind + ":" + hash(previous, account, client));
        }

        private static String hash(byte[] key, String account, InetAddress client) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                mac.update(account.getBytes(StandardCharsets.UTF_8));
                mac.update((byte) 0);
                mac.update(network(client));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac.doFinal(), 16));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
            }
        }

        /** IPv4: the address; IPv6: its /64, the block one subscriber gets. */
        private static byte[] network(InetAddress client) {
            byte[] address = client.getAddress();
            return address.length == 16 ? Arrays.copyOf(address, 8) : address;
        }
    }
}
