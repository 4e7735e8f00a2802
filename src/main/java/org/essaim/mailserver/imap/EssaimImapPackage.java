package org.essaim.mailserver.imap;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.james.imap.encode.ExpungeResponseEncoder;
import org.apache.james.imap.processor.CapabilityProcessor;
import org.apache.james.imap.processor.CloseProcessor;
import org.apache.james.imap.processor.ExamineProcessor;
import org.apache.james.imap.processor.ExpungeProcessor;
import org.apache.james.imap.processor.IdProcessor;
import org.apache.james.imap.processor.LogoutProcessor;
import org.apache.james.imap.processor.SelectProcessor;
import org.apache.james.imap.processor.StoreProcessor;
import org.apache.james.imap.processor.UnselectProcessor;
import org.apache.james.imap.processor.fetch.FetchProcessor;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

/**
 * James' IMAP commands with Essaim's few replacements and additions, named in imapserver.xml
 * ({@code <imapPackages>}). Each replacement is a small subclass that says which James behaviour it corrects:
 * <ul>
 * <li>{@link CondstoreCapabilityProcessor}: CONDSTORE advertised (JAMES-2055 switch never set from XML);</li>
 * <li>{@link ConditionalStoreProcessor}: {@code [MODIFIED set]} without James' stray number;</li>
 * <li>{@link ObjectIdFetchProcessor}: FETCH EMAILID/THREADID answered BAD instead of never;</li>
 * <li>{@link ReadOnlyPeekingFetchProcessor}, {@link ReadOnlyRefusingStoreProcessor},
 *     {@link ReadOnlyRefusingExpungeProcessor}: a mailbox opened by EXAMINE stays as it is (no implicit \Seen, no
 *     STORE, no EXPUNGE), as RFC 3501 promises;</li>
 * <li>{@link ByeBeforeCloseLogoutProcessor}: LOGOUT always answers BYE + OK before the close;</li>
 * <li>{@link EssaimIdProcessor}: ID names the server;</li>
 * <li>{@link NumberedSelectProcessor}, {@link NumberedExamineProcessor}: EXISTS counts the messages the session
 *     numbered, so a FETCH by that number never gets BAD (JAMES-4088, {@link ExistsAsNumbered});</li>
 * <li>{@link ReadOnlyAwareCloseProcessor}: CLOSE expunges only a mailbox selected read-write, and always answers;
 *     with {@link ListenerFreeUnselectProcessor}, leaving a mailbox unregisters its event listener (upstream
 *     02e74a57f0, {@link SessionSelection});</li>
 * <li>{@link ExpungeOfNumberedMessagesEncoder}: no {@code * -1 EXPUNGE} for a message the session never numbered;</li>
 * <li>added: SORT and THREAD (RFC 5256), which James does not implement.</li>
 * </ul>
 */
public class EssaimImapPackage implements ImapPackage {
    private static final Map<String, Class<?>> REPLACED = Map.ofEntries(
            Map.entry(CapabilityProcessor.class.getName(), CondstoreCapabilityProcessor.class),
            Map.entry(FetchProcessor.class.getName(), ReadOnlyPeekingFetchProcessor.class),
            Map.entry(LogoutProcessor.class.getName(), ByeBeforeCloseLogoutProcessor.class),
            Map.entry(IdProcessor.class.getName(), EssaimIdProcessor.class),
            Map.entry(StoreProcessor.class.getName(), ReadOnlyRefusingStoreProcessor.class),
            Map.entry(ExpungeProcessor.class.getName(), ReadOnlyRefusingExpungeProcessor.class),
            Map.entry(SelectProcessor.class.getName(), NumberedSelectProcessor.class),
            Map.entry(ExamineProcessor.class.getName(), NumberedExamineProcessor.class),
            Map.entry(CloseProcessor.class.getName(), ReadOnlyAwareCloseProcessor.class),
            Map.entry(UnselectProcessor.class.getName(), ListenerFreeUnselectProcessor.class));

    @Override
    public Collection<ClassName> processors() {
        return Stream.concat(
                DEFAULT.processors().stream().map(james -> new ClassName(
                        REPLACED.containsKey(james.getName()) ? REPLACED.get(james.getName()).getName() : james.getName())),
                names(SortProcessor.class, ThreadProcessor.class)).toList();
    }

    @Override
    public Collection<ClassName> decoders() {
        return Stream.concat(DEFAULT.decoders().stream(), names(SortCommandParser.class, ThreadCommandParser.class)).toList();
    }

    @Override
    public Collection<ClassName> encoders() {
        return Stream.concat(DEFAULT.encoders().stream().map(james -> new ClassName(
                        ExpungeResponseEncoder.class.getName().equals(james.getName())
                                ? ExpungeOfNumberedMessagesEncoder.class.getName() : james.getName())),
                names(ServerIdResponseEncoder.class, ConditionalStoreFailedEncoder.class, SortResponseEncoder.class,
                        ThreadResponseEncoder.class)).toList();
    }

    private static Stream<ClassName> names(Class<?>... classes) {
        return List.of(classes).stream().map(type -> new ClassName(type.getName()));
    }
}
