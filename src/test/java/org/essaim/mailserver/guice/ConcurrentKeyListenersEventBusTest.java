package org.essaim.mailserver.guice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventBus;
import org.apache.james.events.EventDeadLetters;
import org.apache.james.events.EventListener.ReactiveEventListener;
import org.apache.james.events.MemoryEventDeadLetters;
import org.apache.james.events.Registration;
import org.apache.james.events.RegistrationKey;
import org.apache.james.events.RetryBackoffConfiguration;
import org.apache.james.events.delivery.EventDelivery;
import org.apache.james.events.delivery.InVmEventDelivery;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.Binding;
import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.spi.Elements;
import com.google.inject.spi.LinkedKeyBinding;

import reactor.core.publisher.Mono;

/**
 * The event bus Essaim's James is wired with (EssaimJamesServer.events()) delivers every mailbox event to every
 * session that has the mailbox selected while other sessions select it and leave it, as IMAP clients do all the
 * time. James 3.8.1's own InVMEventBus fails here: a dispatch that meets a registration of the same key throws
 * ConcurrentModificationException (see ConcurrentKeyListenersEventBus).
 */
class ConcurrentKeyListenersEventBusTest {
    private static final int SESSIONS_STAYING = 12;
    private static final int SESSIONS_COMING_AND_GOING = 3;
    /** At least this many dispatches, overlapping at least this many selects and leaves of the other sessions. */
    private static final int ROUNDS = 200;

    @Test
    void everySessionOfAMailboxGetsEveryEventWhileOtherSessionsSelectAndLeaveIt() throws Exception {
        EventBus bus = eventBusAsEssaimWiresIt();
        RegistrationKey mailbox = new MailboxKey("busy-mailbox");
        List<CountingSession> staying = Stream.generate(CountingSession::new).limit(SESSIONS_STAYING).toList();
        for (CountingSession session : staying) {
            Mono.from(bus.register(session, mailbox)).block();
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger selectsAndLeaves = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> comingAndGoingFailures = new ConcurrentLinkedQueue<>();
        List<Thread> comingAndGoing = new ArrayList<>();
        for (int i = 0; i < SESSIONS_COMING_AND_GOING; i++) {
            comingAndGoing.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        Registration selected = Mono.from(bus.register(new CountingSession(), mailbox)).block();
                        Mono.from(selected.unregister()).block();
                        selectsAndLeaves.incrementAndGet();
                    }
                } catch (Throwable failure) {
                    comingAndGoingFailures.add(failure);
                }
            }, "session-coming-and-going-" + i));
        }
        comingAndGoing.forEach(Thread::start);

        List<Throwable> dispatchFailures = new ArrayList<>();
        int dispatches = 0;
        try {
            // counts, not time: the dispatches go on until the other sessions have come and gone often enough
            while (dispatches < ROUNDS || (selectsAndLeaves.get() < ROUNDS && comingAndGoingFailures.isEmpty())) {
                try {
                    bus.dispatch(new MailboxChanged(), Set.of(mailbox)).block();
                } catch (RuntimeException failure) {
                    dispatchFailures.add(failure);
                }
                dispatches++;
            }
        } finally {
            stop.set(true);
            for (Thread thread : comingAndGoing) {
                thread.join();
            }
        }

        assertThat(dispatchFailures)
                .as("%d of %d dispatches failed (%s)", dispatchFailures.size(), dispatches, countByType(dispatchFailures))
                .isEmpty();
        assertThat(comingAndGoingFailures).isEmpty();
        int dispatched = dispatches;
        assertThat(staying).allSatisfy(session -> assertThat(session.received).hasValue(dispatched));
    }

    /**
     * The class Essaim binds as James' EventBus (following the links of EssaimJamesServer.events(): EventBus to
     * InVMEventBus to Essaim's subclass), made with the real in-memory delivery, retries and dead letters.
     */
    private static EventBus eventBusAsEssaimWiresIt() {
        Map<Key<?>, Binding<?>> bindings = Elements.getElements(EssaimJamesServer.events()).stream()
                .filter(Binding.class::isInstance)
                .map(element -> (Binding<?>) element)
                .collect(Collectors.toMap(Binding::getKey, Function.identity(), (first, second) -> first));
        Key<?> key = Key.get(EventBus.class);
        while (bindings.get(key) instanceof LinkedKeyBinding<?> linked) {
            key = linked.getLinkedKey();
        }
        Class<?> busClass = key.getTypeLiteral().getRawType();
        return (EventBus) Guice.createInjector(binder -> {
            binder.bind(EventDelivery.class).toInstance(new InVmEventDelivery(new DropWizardMetricFactory(new MetricRegistry())));
            binder.bind(RetryBackoffConfiguration.class).toInstance(RetryBackoffConfiguration.DEFAULT);
            binder.bind(EventDeadLetters.class).toInstance(new MemoryEventDeadLetters());
        }).getInstance(busClass);
    }

    private static Map<String, Long> countByType(List<Throwable> failures) {
        return failures.stream().collect(Collectors.groupingBy(failure -> failure.getClass().getSimpleName(), Collectors.counting()));
    }

    /** A session with the mailbox selected: counts the events it is told about. */
    private static final class CountingSession implements ReactiveEventListener {
        final AtomicInteger received = new AtomicInteger();

        @Override
        public Publisher<Void> reactiveEvent(Event event) {
            return Mono.fromRunnable(received::incrementAndGet);
        }

        /**
         * Identity, as any listener's, after a yield: the bus collects a key's listeners into a set, so this runs
         * inside that collection and lets the sessions coming and going run right then, even when this JVM gets
         * one core of a busy machine. Without it the unsafe window is a few nanoseconds and the race shows only
         * when the threads really run in parallel.
         */
        @Override
        public int hashCode() {
            Thread.yield();
            return super.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }
    }

    private record MailboxKey(String id) implements RegistrationKey {
        @Override
        public String asString() {
            return id;
        }
    }

    private static final class MailboxChanged implements Event {
        private final EventId id = EventId.random();

        @Override
        public Username getUsername() {
            return Username.of("reader@essaim.test");
        }

        @Override
        public boolean isNoop() {
            return false;
        }

        @Override
        public EventId getEventId() {
            return id;
        }
    }
}
