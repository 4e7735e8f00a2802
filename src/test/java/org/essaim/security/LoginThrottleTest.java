package org.essaim.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

import org.junit.jupiter.api.Test;

import com.google.common.net.InetAddresses;

/** The guessing policy on its own, with a clock the test moves: what a guesser gets, what the owner keeps. */
class LoginThrottleTest {

    private static final String ACCOUNT = "alice@essaim.test";
    private static final InetAddress GUESSER = InetAddresses.forString("198.51.100.7");
    private static final InetAddress OWNER_PHONE = InetAddresses.forString("203.0.113.20");
    private static final InetAddress OWNER_NEW_LAPTOP = InetAddresses.forString("192.0.2.33");

    private final MovingClock clock = new MovingClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void fiveFreeFailuresThenTheWaitDoublesWithEachFailure() {
        for (int i = 0; i < LoginThrottle.FREE_PER_ACCOUNT; i++) {
            assertThat(guess(ACCOUNT, GUESSER)).isZero();
        }
        assertThat(guess(ACCOUNT, GUESSER)).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(guess(ACCOUNT, GUESSER)).isZero();
        assertThat(guess(ACCOUNT, GUESSER)).isEqualTo(Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        assertThat(guess(ACCOUNT, GUESSER)).isZero();
        assertThat(guess(ACCOUNT, GUESSER)).isEqualTo(Duration.ofSeconds(4));
        assertThat(throttle.failuresOf(ACCOUNT)).isEqualTo(7);
    }

    @Test
    void aGuesserThatWaitsExactlyAsLongAsToldGetsAFewDozenGuessesTheFirstHourAndAboutOneAnHourAfter() {
        int firstHour = guessesWithin(Duration.ofHours(1), ACCOUNT, GUESSER);
        int nextFiveHours = guessesWithin(Duration.ofHours(5), ACCOUNT, GUESSER);

        assertThat(firstHour).isBetween(LoginThrottle.FREE_PER_ACCOUNT, 24);
        assertThat(nextFiveHours).isLessThanOrEqualTo(6);
    }

    @Test
    void manyNetworksTogetherGetNoMoreGuessesAtOneAccountThanOne() {
        int guesses = 0;
        Instant end = clock.instant().plus(Duration.ofHours(1));
        for (int i = 0; clock.instant().isBefore(end); i++) {
            InetAddress botnetMember = InetAddresses.fromInteger(0x0A000000 + i); // 10.0.0.0 + i, never twice
            if (guess(ACCOUNT, botnetMember).isZero()) {
                guesses++;
            }
            clock.advance(Duration.ofMillis(200));
        }
        assertThat(guesses).isBetween(LoginThrottle.FREE_PER_ACCOUNT, 24);
    }

    @Test
    void parallelWrongPasswordsGetNoMoreThanSequentialOnes() throws Exception {
        for (int i = 0; i < LoginThrottle.FREE_PER_ACCOUNT; i++) {
            assertThat(throttle.admit(ACCOUNT, GUESSER)).isZero(); // no outcome reported yet: all still in flight
        }
        FutureTask<Duration> sixth = inParallel(() -> throttle.admit(ACCOUNT, GUESSER));
        for (int i = 0; i < LoginThrottle.FREE_PER_ACCOUNT; i++) {
            throttle.failed(ACCOUNT, GUESSER);
        }
        assertThat(sixth.get()).as("judged once the others failed: the first wait").isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.failuresOf(ACCOUNT)).isEqualTo(LoginThrottle.FREE_PER_ACCOUNT);
    }

    @Test
    void parallelRightPasswordsOfANewClientAllGetIn() throws Exception {
        for (int i = 0; i < LoginThrottle.FREE_PER_ACCOUNT; i++) {
            assertThat(throttle.admit(ACCOUNT, OWNER_NEW_LAPTOP)).isZero();
        }
        List<FutureTask<Duration>> more = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            more.add(inParallel(() -> throttle.admit(ACCOUNT, OWNER_NEW_LAPTOP)));
        }
        for (int i = 0; i < LoginThrottle.FREE_PER_ACCOUNT; i++) {
            throttle.succeeded(ACCOUNT, OWNER_NEW_LAPTOP);
        }
        for (FutureTask<Duration> attempt : more) {
            assertThat(attempt.get()).as("admitted once an earlier one proved the password").isZero();
            throttle.succeeded(ACCOUNT, OWNER_NEW_LAPTOP);
        }
        assertThat(throttle.failuresOf(ACCOUNT)).as("every attempt taken back").isZero();
    }

    /** Runs an attempt on its own thread and returns once it waits for the undecided ones (or has its answer). */
    private static FutureTask<Duration> inParallel(Callable<Duration> attempt) throws InterruptedException {
        FutureTask<Duration> task = new FutureTask<>(attempt);
        Thread thread = new Thread(task);
        thread.start();
        while (!task.isDone() && thread.getState() != Thread.State.TIMED_WAITING) {
            Thread.sleep(1);
        }
        return task;
    }

    @Test
    void theRightPasswordTakesItsAttemptBackAndMakesTheClientATrustedDevice() {
        throttle.admit(ACCOUNT, OWNER_PHONE);
        throttle.succeeded(ACCOUNT, OWNER_PHONE);
        assertThat(throttle.failuresOf(ACCOUNT)).isZero();

        lockByGuessing(ACCOUNT, GUESSER);
        assertThat(throttle.admit(ACCOUNT, GUESSER)).as("the guesser waits").isPositive();
        assertThat(throttle.admit(ACCOUNT, OWNER_NEW_LAPTOP)).as("an unknown device of the owner waits too").isPositive();
        assertThat(throttle.admit(ACCOUNT, OWNER_PHONE)).as("the owner's trusted phone does not").isZero();
        throttle.succeeded(ACCOUNT, OWNER_PHONE);
    }

    @Test
    void aTrustedDeviceWithAWrongPasswordIsSlowedDownByItsOwnCounterWithoutLockingTheAccount() {
        throttle.admit(ACCOUNT, OWNER_PHONE);
        throttle.succeeded(ACCOUNT, OWNER_PHONE);
        for (int i = 0; i < LoginThrottle.FREE_PER_TRUSTED_DEVICE; i++) {
            assertThat(guess(ACCOUNT, OWNER_PHONE)).isZero(); // an old password, failing
        }
        assertThat(throttle.admit(ACCOUNT, OWNER_PHONE)).isPositive();
        assertThat(throttle.admit(ACCOUNT, OWNER_NEW_LAPTOP)).as("the account itself is not locked").isZero();
    }

    @Test
    void oneNetworkSprayingOnePasswordOverManyAccountsIsSlowedDownToo() {
        int admitted = 0;
        for (int i = 0; i < 200; i++) {
            if (guess("user" + i + "@essaim.test", GUESSER).isZero()) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(LoginThrottle.FREE_PER_SOURCE);
        assertThat(throttle.admit("someone@essaim.test", OWNER_PHONE)).as("other networks are not held back").isZero();
    }

    @Test
    void ipv6ClientsAreCountedByTheirSlash64() {
        for (int i = 0; i < LoginThrottle.FREE_PER_SOURCE; i++) {
            guess("user" + i + "@essaim.test", InetAddresses.forString("2001:db8:1:2::" + Integer.toHexString(i + 1)));
        }
        assertThat(throttle.admit("other@essaim.test", InetAddresses.forString("2001:db8:1:2:ffff::9"))).isPositive();
        assertThat(throttle.admit("other@essaim.test", InetAddresses.forString("2001:db8:1:3::1"))).isZero();
    }

    @Test
    void connectionsFromThisMachineAreCountedPerAccountOnly() {
        InetAddress thisMachine = InetAddress.getLoopbackAddress(); // the webmail, a reverse proxy on this host
        for (int i = 0; i < 3 * LoginThrottle.FREE_PER_SOURCE; i++) {
            assertThat(guess("user" + i + "@essaim.test", thisMachine)).isZero();
        }
    }

    @Test
    void countersAreForgottenAnHourAfterTheirLastWaitEnded() {
        lockByGuessing(ACCOUNT, GUESSER);
        assertThat(throttle.failuresOf(ACCOUNT)).isPositive();

        clock.advance(LoginThrottle.LONGEST_WAIT.plus(LoginThrottle.MEMORY));

        assertThat(throttle.failuresOf(ACCOUNT)).isZero();
        assertThat(throttle.admit(ACCOUNT, GUESSER)).isZero();
    }

    @Test
    void aTrustedDeviceIsRememberedAcrossOneDailyKeyChangeButNotTwo() {
        throttle.admit(ACCOUNT, OWNER_PHONE);
        throttle.succeeded(ACCOUNT, OWNER_PHONE);

        clock.advance(Duration.ofHours(25));
        lockByGuessing(ACCOUNT, GUESSER);
        assertThat(throttle.admit(ACCOUNT, OWNER_PHONE)).as("trusted under yesterday's key").isZero();
        throttle.succeeded(ACCOUNT, OWNER_PHONE); // logging in again renews the trust under today's key

        clock.advance(Duration.ofHours(25));
        lockByGuessing(ACCOUNT, GUESSER);
        assertThat(throttle.admit(ACCOUNT, OWNER_PHONE)).isZero();

        clock.advance(Duration.ofHours(49));
        lockByGuessing(ACCOUNT, GUESSER);
        assertThat(throttle.admit(ACCOUNT, OWNER_PHONE)).as("two key changes without a login: a stranger").isPositive();
    }

    private void lockByGuessing(String account, InetAddress guesser) {
        while (guess(account, guesser).isZero()) {
            // each admitted attempt is a wrong password
        }
    }

    /** A wrong password as a door handles it: asked for admission, and reported as failed when it was checked. */
    private Duration guess(String account, InetAddress client) {
        Duration wait = throttle.admit(account, client);
        if (wait.isZero()) {
            throttle.failed(account, client);
        }
        return wait;
    }

    /** The right password as a door handles it: asked for admission, and reported as succeeded when it was checked. */
    private Duration rightPassword(String account, InetAddress client) {
        Duration wait = throttle.admit(account, client);
        if (wait.isZero()) {
            throttle.succeeded(account, client);
        }
        return wait;
    }

    /** A guesser that comes back exactly when told to: how many passwords are checked within the period. */
    private int guessesWithin(Duration period, String account, InetAddress guesser) {
        Instant end = clock.instant().plus(period);
        int guesses = 0;
        while (clock.instant().isBefore(end)) {
            Duration wait = guess(account, guesser);
            if (wait.isZero()) {
                guesses++;
            } else {
                clock.advance(wait);
            }
        }
        return guesses;
    }

    /** A clock the test moves by hand. */
    static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
