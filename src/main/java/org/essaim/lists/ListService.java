package org.essaim.lists;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.essaim.accounts.AccountRoles;
import org.essaim.crypto.EncryptedMessages;
import org.essaim.crypto.GroupEncryptor;
import org.essaim.delivery.RecipientKeys;
import org.essaim.delivery.lists.MailingLists;
import org.essaim.i18n.LanguagePreferences;
import org.essaim.i18n.MailTexts;
import org.essaim.mailserver.MailServerBridge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The mailing lists as the SMTP session and the web pages see them: who may post, who receives, what each copy looks
 * like ({@link PostWriter}), subscriptions with confirmation, held posts, bounces, and the archive.
 * <p>
 * In the SMTP session it only decides and writes copies; delivering them (each local member's copy encrypted to that
 * member's key) is the delivery hook's. Copies the web side makes (confirmations, approved posts) go through
 * {@link MailServerBridge#deliverCopies}, the same way. Logs carry list addresses and counts, never a member's
 * address or a word of a post.
 * <p>
 * What the lists write themselves (notices, confirmations, the footer) comes from the bundles through
 * {@link MailTexts}: in the recipient's language when an account chose one, otherwise in every language offered,
 * English first. The footer is shared by every member's copy, so it is always in every language.
 */
@Service
public class ListService implements MailingLists {
    private static final Logger LOGGER = LoggerFactory.getLogger(ListService.class);
    private static final Pattern HARD_BOUNCE = Pattern.compile("(?im)^Status:\\s*5\\.\\d{1,3}\\.\\d{1,3}");
    private static final Pattern SOFT_BOUNCE = Pattern.compile("(?im)^Status:\\s*4\\.\\d{1,3}\\.\\d{1,3}");

    private final ListDirectory directory;
    private final ArchiveStore archive;
    private final ListTokens tokens;
    private final ListSettings settings;
    private final RecipientKeys keys;
    private final AccountRoles roles;
    private final MailServerBridge mailServer;
    private final LanguagePreferences languages;
    private final GroupEncryptor groupEncryptor = new GroupEncryptor();
    private final Set<String> listAddresses = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;

    public ListService(ListDirectory directory, ArchiveStore archive, ListTokens tokens, ListSettings settings,
                       RecipientKeys keys, AccountRoles roles, MailServerBridge mailServer, LanguagePreferences languages) {
        this.directory = directory;
        this.archive = archive;
        this.tokens = tokens;
        this.settings = settings;
        this.keys = keys;
        this.roles = roles;
        this.mailServer = mailServer;
        this.languages = languages;
    }

    /** A notice to one address, in its language when it is an account that chose one, else in every language. */
    private Copy notice(MailingList list, String from, String to, String subjectKey, Function<Locale, String> body,
                        String extraFields, Object... subjectParams) {
        Optional<Locale> language = languages.of(to);
        return new Copy(Optional.empty(), to, Notice.text(from, to, MailTexts.subject(language, subjectKey, subjectParams),
                MailTexts.body(language, body), list.domain(), extraFields));
    }

    // --- lists -----------------------------------------------------------------------------------------------------

    public Optional<MailingList> list(String address) {
        return directory.find(address).map(this::effective);
    }

    public List<MailingList> lists() {
        return directory.all().stream().map(this::effective).toList();
    }

    /** The admins' list follows essaim.audit.public: public like the log, otherwise members (and followers) only. */
    private MailingList effective(MailingList list) {
        if (list.kind() != MailingList.Kind.ADMINS) {
            return list;
        }
        MailingList.Archive policy = settings.auditIsPublic() ? MailingList.Archive.PUBLIC : MailingList.Archive.MEMBERS;
        return new MailingList(list.address(), list.description(), roles.admins().stream().sorted().toList(),
                MailingList.Posting.MEMBERS, policy, list.subjectPrefix(), list.kind());
    }

    public void create(MailingList list) {
        directory.create(list);
        listAddresses.add(list.address());
        LOGGER.info("List {} created", list.address());
    }

    public void update(MailingList list) {
        directory.update(list);
    }

    public void delete(String address) {
        directory.delete(address);
        archive.deleteAll(address);
        listAddresses.remove(ListDirectory.normalized(address));
    }

    private boolean exists(String address) {
        if (!loaded) {
            directory.all().forEach(list -> listAddresses.add(list.address()));
            loaded = true;
        }
        return listAddresses.contains(address);
    }

    /**
     * Who receives a list's posts: its members and followers that are not disabled; for the admins' list, exactly
     * the current admins and the accounts that follow it.
     */
    public List<String> recipients(MailingList list) {
        Set<String> recipients = new LinkedHashSet<>();
        if (list.kind() == MailingList.Kind.ADMINS) {
            recipients.addAll(roles.admins().stream().map(ListDirectory::normalized).sorted().toList());
        }
        directory.members(list.address()).stream().filter(Member::receives).map(Member::address).forEach(recipients::add);
        return List.copyOf(recipients);
    }

    /** Whether this address may post without being held: a member (an admin, for the admins' list). */
    public boolean isPostingMember(MailingList list, String address) {
        String normalized = ListDirectory.normalized(address);
        if (list.kind() == MailingList.Kind.ADMINS) {
            return roles.isAdmin(normalized);
        }
        return directory.member(list.address(), normalized).map(m -> m.role() == Member.Role.MEMBER).orElse(false);
    }

    /** Whether this account reads the list's members-only archive (members, followers, owners; admins for admins@). */
    public boolean readsArchive(MailingList list, String account) {
        String normalized = ListDirectory.normalized(account);
        return list.isPublic() || list.isOwner(normalized) || recipients(list).contains(normalized)
                || directory.member(list.address(), normalized).isPresent();
    }

    // --- the SMTP side ---------------------------------------------------------------------------------------------

    @Override
    public boolean handles(String address) {
        return ListAddress.parse(address, this::exists).isPresent();
    }

    @Override
    public Outcome receive(Arrival arrival) {
        Optional<ListAddress> address = ListAddress.parse(arrival.recipient(), this::exists);
        Optional<MailingList> list = address.flatMap(a -> list(a.list()));
        if (list.isEmpty()) {
            return refused(550, "5.1.1", "smtp.reply.list.noSuchList");
        }
        return switch (address.get().command()) {
            case POST -> post(list.get(), arrival);
            case SUBSCRIBE -> requestByMail(list.get(), arrival, ListDirectory.PendingAction.SUBSCRIBE);
            case UNSUBSCRIBE -> requestByMail(list.get(), arrival, ListDirectory.PendingAction.UNSUBSCRIBE);
            case CONFIRM -> confirmByReply(list.get(), address.get().token());
            case BOUNCES -> bounce(list.get(), address.get().token(), arrival.message());
            case OWNER -> Outcome.accepted(list.get().owners().stream()
                    .map(owner -> new Copy(Optional.empty(), owner, arrival.message())).toList(), () -> { });
        };
    }

    /**
     * A refusal in every language, English first, ASCII ({@link MailTexts#smtpReply}): the sender's language is
     * unknown and the reply reaches them quoted in their own server's bounce.
     */
    private static Outcome refused(int code, String status, String key, Object... params) {
        return Outcome.refused(code, MailTexts.smtpReply(status, key, params));
    }

    private Outcome post(MailingList list, Arrival arrival) {
        byte[] message = withMessageId(arrival.message(), list.domain());
        RawPost raw = RawPost.parse(message);
        if (raw.first("List-Id").map(id -> id.contains("<" + list.name() + "." + list.domain() + ">")).orElse(false)
                || arrival.envelopeSender().isEmpty()
                || raw.first("Auto-Submitted").map(v -> !v.strip().equalsIgnoreCase("no")).orElse(false)) {
            // Its own post coming back, a bounce or an automatic answer: taken in, sent to nobody.
            return Outcome.accepted(List.of(), () -> { });
        }
        Optional<PostWriter.Author> author = PostWriter.authorOf(raw);
        String sender = arrival.authenticatedUser()
                .or(() -> author.map(PostWriter.Author::address))
                .or(arrival::envelopeSender)
                .map(ListDirectory::normalized).orElse("");
        if (author.isEmpty()) {
            return refused(550, "5.6.0", "smtp.reply.list.needsFrom");
        }
        boolean encrypted = EncryptedMessages.isEncrypted(message);
        if (encrypted && list.isPublic()) {
            return refused(550, "5.7.1", "smtp.reply.list.encryptedToPublic");
        }
        if (list.kind() == MailingList.Kind.ADMINS) {
            if (arrival.authenticatedUser().map(roles::isAdmin).orElse(false)) {
                return distribute(list, message, author.get());
            }
            return refused(550, "5.7.1", "smtp.reply.list.adminsOnly", list.address());
        }
        boolean member = isPostingMember(list, sender);
        boolean free = list.isOwner(sender) || directory.isAllowedSender(list.address(), sender);
        boolean mayPost = switch (list.posting()) {
            case ANYONE -> true;
            case MEMBERS -> member || free;
            case MODERATED -> free || (!list.isPublic() && member);
        };
        if (mayPost) {
            return distribute(list, message, author.get());
        }
        if (!list.isPublic()) {
            return refused(550, "5.7.1", "smtp.reply.list.membersOnly", list.address(),
                    list.commandAddress("subscribe"));
        }
        return hold(list, sender, message);
    }

    private static byte[] withMessageId(byte[] message, String domain) {
        if (RawPost.parse(message).first("Message-ID").isPresent()) {
            return message;
        }
        byte[] field = ("Message-ID: <" + UUID.randomUUID() + "@" + domain + ">\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] withId = new byte[field.length + message.length];
        System.arraycopy(field, 0, withId, 0, field.length);
        System.arraycopy(message, 0, withId, field.length, message.length);
        return withId;
    }

    /** The copies of a post for every recipient, and its archiving once they are delivered. */
    private Outcome distribute(MailingList list, byte[] message, PostWriter.Author author) {
        RawPost raw = RawPost.parse(message);
        boolean encrypted = EncryptedMessages.isEncrypted(message);
        byte[] listCopy = PostWriter.listCopy(raw, list, author, settings, encrypted ? "" : footer(list));
        List<Copy> copies = new ArrayList<>();
        for (String recipient : recipients(list)) {
            copies.add(new Copy(Optional.of(bounceAddress(list, recipient)), recipient,
                    PostWriter.forMember(listCopy, list, settings.unsubscribeUrl(tokens.unsubscribeToken(list.address(), recipient)))));
        }
        return Outcome.accepted(copies, () -> archive(list, PostWriter.forArchive(listCopy, list)));
    }

    /** The footer of every copy of a post: one copy for all members, so in every language, English first. */
    String footer(MailingList list) {
        String about = list.isPublic() ? "" : list.address() + ": " + list.description().replaceAll("\\p{Cntrl}", " ") + "\r\n";
        return about + MailTexts.body(Optional.empty(), locale -> (list.isPublic()
                ? MailTexts.text(locale, "mail.notice.list.footerPublic", settings.archiveUrl(list.address())) + "\r\n" : "")
                + MailTexts.text(locale, "mail.notice.list.footerLeave", settings.listPageUrl(list.address()),
                list.commandAddress("unsubscribe")));
    }

    private String bounceAddress(MailingList list, String recipient) {
        return list.name() + "-bounces+" + tokens.bounceToken(list.address(), recipient) + "@" + list.domain();
    }

    private void archive(MailingList list, byte[] copy) {
        if (list.archive() == MailingList.Archive.NONE) {
            return;
        }
        PostText text = PostText.of(copy);
        if (list.isPublic()) {
            archive.archive(list.address(), copy, false, text.messageId(), text.parents(),
                    text.subject() + " " + text.authorName() + " " + text.text());
            return;
        }
        List<byte[]> readers = new ArrayList<>();
        Set<String> readerAddresses = new LinkedHashSet<>(recipients(list));
        readerAddresses.addAll(list.owners());
        for (String reader : readerAddresses) {
            keys.publicKeyOf(reader).ifPresent(readers::add);
        }
        if (readers.isEmpty()) {
            LOGGER.info("List {}: no member has a key, the post is not archived", list.address());
            return;
        }
        archive.archive(list.address(), groupEncryptor.encryptArmored(copy, readers), true, text.messageId(),
                text.parents(), "");
    }

    private Outcome hold(MailingList list, String sender, byte[] message) {
        long id = directory.hold(list.address(), sender.isEmpty() ? "unknown" : sender);
        archive.writeHeld(list.address(), id, message);
        List<Copy> notices = list.owners().stream().map(owner -> notice(list, list.commandAddress("owner"), owner,
                "mail.notice.list.held.subject", locale -> MailTexts.text(locale, "mail.notice.list.held.body", sender,
                        list.address(), settings.webUrl() + "/lists") + "\n", "", list.address())).toList();
        LOGGER.info("List {}: a post is held for moderation", list.address());
        return Outcome.accepted(notices, () -> { });
    }

    // --- subscription ----------------------------------------------------------------------------------------------

    private Outcome requestByMail(MailingList list, Arrival arrival, ListDirectory.PendingAction action) {
        Optional<String> who = PostWriter.authorOf(RawPost.parse(arrival.message())).map(PostWriter.Author::address)
                .or(arrival::envelopeSender);
        if (who.isEmpty() || arrival.envelopeSender().isEmpty()) {
            return Outcome.accepted(List.of(), () -> { }); // a bounce or an anonymous request: nothing to confirm
        }
        return Outcome.accepted(List.of(confirmationRequest(list, who.get(), action)), () -> { });
    }

    /** Asks the address to confirm (double opt-in): by replying, or on the web page the message links to. */
    private Copy confirmationRequest(MailingList list, String address, ListDirectory.PendingAction action) {
        String token = tokens.confirmationToken();
        directory.addPending(new ListDirectory.Pending(token, list.address(), address, action, java.time.Instant.now()));
        String what = action == ListDirectory.PendingAction.SUBSCRIBE ? "subscribe" : "leave";
        boolean publicNote = list.isPublic() && action == ListDirectory.PendingAction.SUBSCRIBE;
        String confirmAddress = list.name() + "-confirm+" + token + "@" + list.domain();
        return notice(list, confirmAddress, address, "mail.notice.list.confirm." + what + ".subject",
                locale -> MailTexts.text(locale, "mail.notice.list.confirm." + what + ".body", list.address()) + "\n"
                        + (publicNote ? "\n" + MailTexts.text(locale, "mail.notice.list.confirm.public",
                        settings.archiveUrl(list.address())) + "\n" : "")
                        + "\n" + MailTexts.text(locale, "mail.notice.list.confirm.how", settings.confirmUrl(token)) + "\n",
                "Reply-To: " + confirmAddress + "\r\n", list.address());
    }

    private Outcome confirmByReply(MailingList list, String token) {
        Optional<ListDirectory.Pending> pending = directory.takePending(token);
        if (pending.isEmpty() || !pending.get().list().equals(list.address())) {
            return refused(550, "5.1.1", "smtp.reply.list.unknownConfirmation");
        }
        return Outcome.accepted(carryOut(list, pending.get()), () -> { });
    }

    /** Web subscription of any address: a confirmation message goes to it first. */
    public void requestSubscription(String listAddress, String address) {
        MailingList list = list(listAddress).orElseThrow(() -> new IllegalArgumentException("No such list"));
        mailServer.deliverCopies(List.of(confirmationRequest(list, ListDirectory.normalized(address),
                ListDirectory.PendingAction.SUBSCRIBE)));
    }

    /** What a confirmation page shows before the person confirms (nothing changes on GET). */
    public Optional<ListDirectory.Pending> pending(String token) {
        return directory.peekPending(token);
    }

    /** Confirms on the web; false when the token is unknown or used. */
    public boolean confirm(String token) {
        Optional<ListDirectory.Pending> pending = directory.takePending(token);
        if (pending.isEmpty()) {
            return false;
        }
        MailingList list = list(pending.get().list()).orElseThrow();
        mailServer.deliverCopies(carryOut(list, pending.get()));
        return true;
    }

    private List<Copy> carryOut(MailingList list, ListDirectory.Pending pending) {
        String address = pending.address();
        Copy notice;
        if (pending.action() == ListDirectory.PendingAction.SUBSCRIBE) {
            directory.putMember(list.address(), address, list.kind() == MailingList.Kind.ADMINS
                    ? Member.Role.FOLLOWER : Member.Role.MEMBER);
            notice = notice(list, list.commandAddress("owner"), address, "mail.notice.list.welcome.subject",
                    locale -> MailTexts.text(locale, "mail.notice.list.welcome.body", list.address(), list.commandAddress("unsubscribe"))
                            + "\n" + (list.isPublic() ? "\n" + MailTexts.text(locale, "mail.notice.list.footerPublic",
                            settings.archiveUrl(list.address())) + "\n" : ""), "", list.address());
        } else {
            directory.removeMember(list.address(), address);
            notice = notice(list, list.commandAddress("owner"), address, "mail.notice.list.left.subject",
                    locale -> MailTexts.text(locale, "mail.notice.list.left.body", list.address()) + "\n", "", list.address());
        }
        LOGGER.info("List {}: a {} was confirmed", list.address(), pending.action().name().toLowerCase(Locale.ROOT));
        return List.of(notice);
    }

    /** An account joins (or follows) from the webmail: its session proves the address, no confirmation needed. */
    public void join(String listAddress, String account, Member.Role role) {
        MailingList list = list(listAddress).orElseThrow(() -> new IllegalArgumentException("No such list"));
        if (list.kind() == MailingList.Kind.ADMINS && role == Member.Role.MEMBER) {
            throw new IllegalArgumentException("The admins' members are the admins; anyone may follow it");
        }
        directory.putMember(list.address(), account, role);
    }

    public void leave(String listAddress, String account) {
        directory.removeMember(ListDirectory.normalized(listAddress), account);
    }

    /** One-click unsubscribe (RFC 8058) with a member's token; the outcome says what the token was. */
    public ListTokens.Unsubscribe unsubscribe(String token) {
        ListTokens.Unsubscribe read = tokens.readUnsubscribeToken(token);
        if (read instanceof ListTokens.Valid valid) {
            directory.removeMember(valid.list(), valid.member());
            LOGGER.info("List {}: a member unsubscribed with one click", valid.list());
        }
        return read;
    }

    public ListTokens.Unsubscribe readUnsubscribeToken(String token) {
        return tokens.readUnsubscribeToken(token);
    }

    // --- bounces ---------------------------------------------------------------------------------------------------

    private Outcome bounce(MailingList list, String token, byte[] report) {
        Optional<String> member = recipients(list).stream()
                .filter(address -> tokens.bounceToken(list.address(), address).equals(token)).findFirst();
        String text = new String(report, StandardCharsets.ISO_8859_1);
        boolean hard = HARD_BOUNCE.matcher(text).find() && !SOFT_BOUNCE.matcher(text).find();
        if (member.isEmpty() || !hard) {
            return Outcome.accepted(List.of(), () -> { });
        }
        int count = directory.countHardBounce(list.address(), member.get());
        if (count < settings.bounceLimit()) {
            return Outcome.accepted(List.of(), () -> { });
        }
        directory.disable(list.address(), member.get());
        LOGGER.info("List {}: a member was disabled after {} hard bounces", list.address(), count);
        return Outcome.accepted(list.owners().stream().map(owner -> notice(list, list.commandAddress("owner"), owner,
                "mail.notice.list.disabled.subject", locale -> MailTexts.text(locale, "mail.notice.list.disabled.body",
                        member.get(), String.valueOf(count), list.address(), settings.webUrl() + "/lists") + "\n", "", list.address()))
                .toList(), () -> { });
    }

    // --- moderation ------------------------------------------------------------------------------------------------

    public List<ListDirectory.HeldPost> held(String list) {
        return directory.held(list);
    }

    /** A held post's text for the owners to judge (public lists only hold posts). */
    public PostText heldText(String list, long id) {
        return PostText.of(archive.readHeld(list, id));
    }

    /** Approves a held post: it is sent to every member and archived, once (a second approval finds nothing). */
    public boolean approve(String listAddress, long id, boolean alwaysAllowSender) {
        MailingList list = list(listAddress).orElseThrow();
        Optional<ListDirectory.HeldPost> held = directory.release(list.address(), id);
        if (held.isEmpty()) {
            return false;
        }
        byte[] message = archive.readHeld(list.address(), id);
        if (alwaysAllowSender) {
            directory.allowSender(list.address(), held.get().sender());
        }
        RawPost raw = RawPost.parse(message);
        PostWriter.Author author = PostWriter.authorOf(raw)
                .orElse(new PostWriter.Author(held.get().sender(), "", held.get().sender()));
        Outcome outcome = distribute(list, message, author);
        mailServer.deliverCopies(outcome.copies());
        outcome.afterDelivery().run();
        archive.deleteHeld(list.address(), id);
        return true;
    }

    /** Rejects a held post and tells its sender why. */
    public boolean reject(String listAddress, long id, String reason) {
        MailingList list = list(listAddress).orElseThrow();
        Optional<ListDirectory.HeldPost> held = directory.release(list.address(), id);
        if (held.isEmpty()) {
            return false;
        }
        archive.deleteHeld(list.address(), id);
        String sender = held.get().sender();
        if (sender.contains("@")) {
            mailServer.deliverCopies(List.of(notice(list, list.commandAddress("owner"), sender, "mail.notice.list.rejected.subject",
                    locale -> MailTexts.text(locale, "mail.notice.list.rejected.body", list.address()) + "\n"
                            + (reason == null || reason.isBlank() ? ""
                            : "\n" + MailTexts.text(locale, "mail.notice.list.rejected.reason", reason.strip()) + "\n"),
                    "", list.address())));
        }
        return true;
    }

    // --- members, for owners ---------------------------------------------------------------------------------------

    public List<Member> members(String list) {
        return directory.members(list);
    }

    public void enable(String list, String member) {
        directory.enable(list, member);
    }

    public void removeMember(String list, String member) {
        directory.removeMember(list, member);
    }

    /** An owner adds a member directly (e.g. a colleague who asked in person); they are told by mail. */
    public void addMember(String listAddress, String address) {
        MailingList list = list(listAddress).orElseThrow();
        directory.putMember(list.address(), address, Member.Role.MEMBER);
    }

    public List<String> listsOf(String account) {
        return directory.listsOf(account);
    }

    ArchiveStore archive() {
        return archive;
    }
}
