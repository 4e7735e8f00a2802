package org.essaim.mailserver.guice;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import javax.inject.Inject;

import org.apache.james.events.Event;
import org.apache.james.events.EventDeadLetters;
import org.apache.james.events.EventListener.ReactiveEventListener;
import org.apache.james.events.InVMEventBus;
import org.apache.james.events.Registration;
import org.apache.james.events.RegistrationKey;
import org.apache.james.events.RetryBackoffConfiguration;
import org.apache.james.events.delivery.EventDelivery;

import com.google.common.collect.ImmutableSet;
import com.google.inject.AbstractModule;
import com.google.inject.Scopes;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * James 3.8.1's in-memory event bus with a thread-safe registry of the listeners registered by key (one per IMAP
 * session that has a mailbox selected, keyed by that mailbox).
 * <p>Why: James 3.8.1's {@link InVMEventBus} keeps those listeners in {@code Multimaps.synchronizedSetMultimap(
 * HashMultimap.create())} and, on every dispatch, streams the key's value set without holding the multimap's lock
 * (Guava requires it for iteration). When another session's SELECT, UNSELECT or logout registers or unregisters a
 * listener of the same mailbox at that moment, the dispatch throws {@code ConcurrentModificationException}: the
 * APPEND, EXPUNGE or SELECT (which dispatches when it resets \Recent) that caused the event fails with
 * "NO ... processing failed" (seen in {@code StandardImapClientsTest}). Upstream fixed it by giving the multimap
 * concurrent value sets: commit d231e50971aa, "[FIX] registrations multimap made fully thread safe" (apache/
 * james-project pull request 2291, June 2024, no JIRA ticket), first released in 3.9.0; 3.8.2 does not have it.
 * Remove this class (and its binding in EssaimJamesServer.events()) when James is upgraded to 3.9.0 or later.
 * <p>How: key registrations live here instead, each key mapping to an immutable set that is replaced atomically on
 * every change, so a dispatch delivers to a consistent snapshot. Everything else stays James': group listeners,
 * their retries and dead letters, {@code reDeliver} ({@code super.dispatch} is asked for the group deliveries only,
 * with no key). Key deliveries keep James' semantics: no retry, a failing listener does not fail the dispatch.
 */
public class ConcurrentKeyListenersEventBus extends InVMEventBus {
    private final EventDelivery eventDelivery;
    private final ConcurrentMap<RegistrationKey, Set<ReactiveEventListener>> listenersByKey = new ConcurrentHashMap<>();

    @Inject
    public ConcurrentKeyListenersEventBus(EventDelivery eventDelivery, RetryBackoffConfiguration retryBackoff,
                                          EventDeadLetters eventDeadLetters) {
        super(eventDelivery, retryBackoff, eventDeadLetters);
        this.eventDelivery = eventDelivery;
    }

    @Override
    public Mono<Registration> register(ReactiveEventListener listener, RegistrationKey key) {
        listenersByKey.compute(key, (k, listeners) -> listeners == null
                ? ImmutableSet.of(listener)
                : ImmutableSet.<ReactiveEventListener>builder().addAll(listeners).add(listener).build());
        Registration registration = () -> Mono.fromRunnable(() -> unregister(listener, key));
        return Mono.just(registration);
    }

    private void unregister(ReactiveEventListener listener, RegistrationKey key) {
        listenersByKey.computeIfPresent(key, (k, listeners) -> {
            ImmutableSet<ReactiveEventListener> rest = listeners.stream()
                    .filter(registered -> !registered.equals(listener))
                    .collect(ImmutableSet.toImmutableSet());
            return rest.isEmpty() ? null : rest;
        });
    }

    /** How many listeners (IMAP sessions that have the mailbox selected) a key has: a session that left must not count. */
    public int listenerCount(RegistrationKey key) {
        return listenersByKey.getOrDefault(key, Set.of()).size();
    }

    @Override
    public Mono<Void> dispatch(Event event, Set<RegistrationKey> keys) {
        if (event.isNoop()) {
            return Mono.empty();
        }
        return Flux.merge(super.dispatch(event, Set.of()), keyDeliveries(event, keys))
                .then()
                .onErrorResume(failure -> Mono.empty());
    }

    private Mono<Void> keyDeliveries(Event event, Set<RegistrationKey> keys) {
        Set<ReactiveEventListener> listeners = keys.stream()
                .flatMap(key -> listenersByKey.getOrDefault(key, Set.of()).stream())
                .collect(ImmutableSet.toImmutableSet());
        return Flux.fromIterable(listeners)
                .flatMap(listener -> eventDelivery.deliver(listener, event, EventDelivery.DeliveryOption.none()),
                        EXECUTION_RATE)
                .then();
    }

    /** Binds this bus wherever James' DefaultEventModule binds {@link InVMEventBus} (and so {@code EventBus}). */
    static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            bind(ConcurrentKeyListenersEventBus.class).in(Scopes.SINGLETON);
            bind(InVMEventBus.class).to(ConcurrentKeyListenersEventBus.class);
        }
    }
}
