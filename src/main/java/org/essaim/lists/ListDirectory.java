package org.essaim.lists;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The lists, their owners, members, allowed senders and waiting confirmations (tables of V40). */
@Repository
public class ListDirectory {
    private final JdbcClient jdbc;

    public ListDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    static String normalized(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    @Transactional
    public void create(MailingList list) {
        jdbc.sql("INSERT INTO mailing_list (address, description, posting, archive, subject_prefix, kind, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(list.address(), list.description(), list.posting().name(), list.archive().name(),
                        list.subjectPrefix(), list.kind().name(), Timestamp.from(Instant.now()))
                .update();
        setOwners(list.address(), list.owners());
    }

    @Transactional
    public void update(MailingList list) {
        jdbc.sql("UPDATE mailing_list SET description = ?, posting = ?, archive = ?, subject_prefix = ? WHERE address = ?")
                .params(list.description(), list.posting().name(), list.archive().name(), list.subjectPrefix(),
                        list.address())
                .update();
        setOwners(list.address(), list.owners());
    }

    public void delete(String address) {
        jdbc.sql("DELETE FROM mailing_list WHERE address = ?").param(normalized(address)).update();
    }

    private void setOwners(String list, List<String> owners) {
        jdbc.sql("DELETE FROM mailing_list_owner WHERE list_address = ?").param(list).update();
        for (String owner : owners) {
            jdbc.sql("INSERT INTO mailing_list_owner (list_address, owner) VALUES (?, ?)").params(list, normalized(owner)).update();
        }
    }

    public Optional<MailingList> find(String address) {
        String key = normalized(address);
        return jdbc.sql("SELECT address, description, posting, archive, subject_prefix, kind FROM mailing_list WHERE address = ?")
                .param(key)
                .query((rs, row) -> new MailingList(rs.getString(1), rs.getString(2), ownersOf(rs.getString(1)),
                        MailingList.Posting.valueOf(rs.getString(3)), MailingList.Archive.valueOf(rs.getString(4)),
                        rs.getString(5), MailingList.Kind.valueOf(rs.getString(6))))
                .optional();
    }

    public List<MailingList> all() {
        return jdbc.sql("SELECT address FROM mailing_list ORDER BY address").query(String.class).list().stream()
                .map(this::find).flatMap(Optional::stream).toList();
    }

    private List<String> ownersOf(String list) {
        return jdbc.sql("SELECT owner FROM mailing_list_owner WHERE list_address = ? ORDER BY owner")
                .param(list).query(String.class).list();
    }

    // --- members ---------------------------------------------------------------------------------------------------

    public List<Member> members(String list) {
        return jdbc.sql("SELECT member, role, joined_at, hard_bounces, disabled_at FROM mailing_list_member "
                        + "WHERE list_address = ? ORDER BY member")
                .param(normalized(list))
                .query((rs, row) -> new Member(rs.getString(1), Member.Role.valueOf(rs.getString(2)),
                        rs.getTimestamp(3).toInstant(), rs.getInt(4),
                        Optional.ofNullable(rs.getTimestamp(5)).map(Timestamp::toInstant)))
                .list();
    }

    public Optional<Member> member(String list, String address) {
        return members(list).stream().filter(m -> m.address().equals(normalized(address))).findFirst();
    }

    /** Adds or changes a member's role; a disabled member is enabled again (they asked to be on the list). */
    @Transactional
    public void putMember(String list, String address, Member.Role role) {
        int changed = jdbc.sql("UPDATE mailing_list_member SET role = ?, hard_bounces = 0, disabled_at = NULL "
                        + "WHERE list_address = ? AND member = ?")
                .params(role.name(), normalized(list), normalized(address)).update();
        if (changed == 0) {
            jdbc.sql("INSERT INTO mailing_list_member (list_address, member, role, joined_at) VALUES (?, ?, ?, ?)")
                    .params(normalized(list), normalized(address), role.name(), Timestamp.from(Instant.now())).update();
        }
    }

    public boolean removeMember(String list, String address) {
        return jdbc.sql("DELETE FROM mailing_list_member WHERE list_address = ? AND member = ?")
                .params(normalized(list), normalized(address)).update() > 0;
    }

    /** Counts a hard bounce; returns the member's count after it (0 when not a member). */
    @Transactional
    public int countHardBounce(String list, String address) {
        jdbc.sql("UPDATE mailing_list_member SET hard_bounces = hard_bounces + 1 WHERE list_address = ? AND member = ?")
                .params(normalized(list), normalized(address)).update();
        return member(list, address).map(Member::hardBounces).orElse(0);
    }

    public void disable(String list, String address) {
        jdbc.sql("UPDATE mailing_list_member SET disabled_at = ? WHERE list_address = ? AND member = ?")
                .params(Timestamp.from(Instant.now()), normalized(list), normalized(address)).update();
    }

    public void enable(String list, String address) {
        jdbc.sql("UPDATE mailing_list_member SET disabled_at = NULL, hard_bounces = 0 WHERE list_address = ? AND member = ?")
                .params(normalized(list), normalized(address)).update();
    }

    /** The lists this address is on (any role). */
    public List<String> listsOf(String address) {
        return jdbc.sql("SELECT list_address FROM mailing_list_member WHERE member = ? ORDER BY list_address")
                .param(normalized(address)).query(String.class).list();
    }

    // --- allowed senders -------------------------------------------------------------------------------------------

    public void allowSender(String list, String sender) {
        if (!isAllowedSender(list, sender)) {
            jdbc.sql("INSERT INTO mailing_list_allowed_sender (list_address, sender) VALUES (?, ?)")
                    .params(normalized(list), normalized(sender)).update();
        }
    }

    public boolean isAllowedSender(String list, String sender) {
        return jdbc.sql("SELECT COUNT(*) FROM mailing_list_allowed_sender WHERE list_address = ? AND sender = ?")
                .params(normalized(list), normalized(sender)).query(Integer.class).single() > 0;
    }

    // --- confirmations ---------------------------------------------------------------------------------------------

    public enum PendingAction { SUBSCRIBE, UNSUBSCRIBE }

    public record Pending(String token, String list, String address, PendingAction action, Instant createdAt) { }

    public void addPending(Pending pending) {
        jdbc.sql("INSERT INTO mailing_list_pending (token, list_address, address, action, created_at) VALUES (?, ?, ?, ?, ?)")
                .params(pending.token(), pending.list(), normalized(pending.address()), pending.action().name(),
                        Timestamp.from(pending.createdAt()))
                .update();
    }

    /** Takes a waiting confirmation out (a token works once). */
    @Transactional
    public Optional<Pending> takePending(String token) {
        Optional<Pending> pending = jdbc.sql("SELECT token, list_address, address, action, created_at "
                        + "FROM mailing_list_pending WHERE token = ?")
                .param(token)
                .query((rs, row) -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3),
                        PendingAction.valueOf(rs.getString(4)), rs.getTimestamp(5).toInstant()))
                .optional();
        pending.ifPresent(p -> jdbc.sql("DELETE FROM mailing_list_pending WHERE token = ?").param(token).update());
        return pending;
    }

    public Optional<Pending> peekPending(String token) {
        return jdbc.sql("SELECT token, list_address, address, action, created_at FROM mailing_list_pending WHERE token = ?")
                .param(token)
                .query((rs, row) -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3),
                        PendingAction.valueOf(rs.getString(4)), rs.getTimestamp(5).toInstant()))
                .optional();
    }

    // --- held posts ------------------------------------------------------------------------------------------------

    public record HeldPost(long id, String list, String sender, Instant heldAt) { }

    public long hold(String list, String sender) {
        KeyHolder id = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mailing_list_held_post (list_address, sender, held_at) VALUES (?, ?, ?)")
                .params(normalized(list), normalized(sender), Timestamp.from(Instant.now())).update(id, "id");
        return id.getKey().longValue();
    }

    public List<HeldPost> held(String list) {
        return jdbc.sql("SELECT id, list_address, sender, held_at FROM mailing_list_held_post WHERE list_address = ? ORDER BY id")
                .param(normalized(list))
                .query((rs, row) -> new HeldPost(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
                .list();
    }

    /** Takes a held post out of the queue; empty when it was already approved or rejected (by another owner). */
    @Transactional
    public Optional<HeldPost> release(String list, long id) {
        Optional<HeldPost> post = held(list).stream().filter(p -> p.id() == id).findFirst();
        post.ifPresent(p -> jdbc.sql("DELETE FROM mailing_list_held_post WHERE id = ?").param(id).update());
        return post;
    }
}
