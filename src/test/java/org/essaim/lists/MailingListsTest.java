package org.essaim.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.GnuPG;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Mailing lists end to end on a running server: subscription by mail with confirmation by reply, posts through
 * port 25 and submission, each local member's copy encrypted to that member's key (GnuPG decrypts it), the List-*
 * headers and one-click unsubscribe, the footer and a PGP/MIME signature that still verifies, the public archive
 * (threads, search, mbox, Atom, no raw address) and the canary rule on the data directory, moderation.
 */
class MailingListsTest {
    private static final String PASSWORD = "a long enough test password";
    private static final Pattern ARCHIVE_RAW_ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z0-9.-]+");

    @TempDir
    static Path gnupgHome;
    static EssaimInstance essaim;
    static GnuPG gpg;
    static ListService lists;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        gpg = new GnuPG(gnupgHome);
        lists = essaim.bean(ListService.class);
    }

    @AfterAll
    static void stop() {
        gpg.close();
    }

    /** A new account with a key made by GnuPG (so GnuPG decrypts its mail). */
    static String account(String name) {
        String address = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(address, PASSWORD);
        essaim.publishKey(address, gpg.generateKey(address));
        return address;
    }

    static MailingList newList(String name, MailingList.Posting posting, MailingList.Archive archive) {
        String address = name + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + EssaimInstance.DOMAIN;
        MailingList list = new MailingList(address, "The " + name + " list", List.of(), posting, archive, "[" + name + "]",
                MailingList.Kind.ORDINARY);
        lists.create(list);
        return list;
    }

    @Test
    void subscribingByMailNeedsAConfirmingReplyThenPostsReachTheMemberEncryptedToTheirKey() throws Exception {
        MailingList list = newList("team", MailingList.Posting.MEMBERS, MailingList.Archive.PUBLIC);
        String ann = account("ann");

        assertThat(ListMail.viaSubmission(essaim, ann, PASSWORD, list.commandAddress("subscribe"),
                ListMail.message(ann, list.commandAddress("subscribe"), "subscribe", ""))).startsWith("250");
        String confirmation = ListMail.decrypt(gpg, ListMail.inbox(essaim, ann, PASSWORD, 1).get(0));
        assertThat(lists.members(list.address())).as("not a member before confirming").isEmpty();
        assertThat(confirmation).contains("This list is public");
        Matcher replyTo = Pattern.compile("Reply-To: (\\S+-confirm\\+[0-9a-f]+@\\S+)").matcher(confirmation);
        assertThat(replyTo.find()).isTrue();

        assertThat(ListMail.viaSubmission(essaim, ann, PASSWORD, replyTo.group(1),
                ListMail.message(ann, replyTo.group(1), "Re: Confirm", "yes"))).startsWith("250");
        assertThat(lists.members(list.address())).extracting(Member::address).containsExactly(ann);
        assertThat(ListMail.viaSubmission(essaim, ann, PASSWORD, replyTo.group(1),
                ListMail.message(ann, replyTo.group(1), "Re: Confirm", "again"))).as("a token works once").startsWith("550");

        String answer = ListMail.viaSmtp(essaim, "ann.other@example.org", list.address(),
                ListMail.message("Ann Outside <ann.other@example.org>", list.address(), "Not a member", "held"));
        assertThat(answer).startsWith("250");

        assertThat(ListMail.viaSubmission(essaim, ann, PASSWORD, list.address(),
                ListMail.message("Ann <" + ann + ">", list.address(), "Hello list", "First post."))).startsWith("250");
        List<byte[]> inbox = ListMail.inbox(essaim, ann, PASSWORD, 3); // confirmation, welcome, post
        String post = ListMail.decrypt(gpg, inbox.get(inbox.size() - 1));
        assertThat(post).contains("Subject: [team] Hello list", "First post.", "This list is public; its archive is at ")
                .contains("From: Ann via " + list.name() + " <" + list.address() + ">")
                .contains("Reply-To: Ann <" + ann + ">");
    }

    @Test
    void everyListHeaderIsThereAndOnlyAOneClickPostWithAValidTokenUnsubscribes() throws Exception {
        MailingList list = newList("news", MailingList.Posting.ANYONE, MailingList.Archive.PUBLIC);
        String bea = account("bea");
        lists.join(list.address(), bea, Member.Role.MEMBER);

        assertThat(ListMail.viaSmtp(essaim, "writer@example.org", list.address(),
                ListMail.message("Writer <writer@example.org>", list.address(), "Headers", "Look at my headers."))).startsWith("250");
        String copy = ListMail.decrypt(gpg, ListMail.inbox(essaim, bea, PASSWORD, 1).get(0));
        String id = "<" + list.name() + "." + list.domain() + ">";
        assertThat(copy).contains("List-Id: \"The news list\" " + id, "List-Post: <mailto:" + list.address() + ">",
                "List-Help: <", "List-Subscribe: <mailto:" + list.commandAddress("subscribe") + ">",
                "List-Archive: <", "List-Owner: <mailto:", "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                "List-Unsubscribe: <mailto:" + list.commandAddress("unsubscribe") + ">")
                .doesNotContain("Received:");
        Matcher link = Pattern.compile("<https?://[^/>]+(/lists/unsubscribe/[^>]+)>").matcher(copy);
        assertThat(link.find()).isTrue();
        String path = link.group(1);

        assertThat(get(path).statusCode()).isEqualTo(200);
        assertThat(lists.members(list.address())).as("a GET (a link scanner) unsubscribes nobody").hasSize(1);
        String forged = path.substring(0, path.length() - 3) + (path.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(post(forged).statusCode()).isEqualTo(403);
        assertThat(post(expiredToken(list.address(), bea)).statusCode()).isEqualTo(410);
        assertThat(lists.members(list.address())).hasSize(1);

        assertThat(post(path).statusCode()).isEqualTo(200);
        assertThat(lists.members(list.address())).as("one-click POST unsubscribes").isEmpty();
    }

    /** A token signed with the server's own key, issued longer ago than links work. */
    private static String expiredToken(String list, String member) {
        byte[] secret = HexFormat.of().parseHex(essaim.bean(JdbcClient.class)
                .sql("SELECT secret FROM mailing_list_secret WHERE id = 1").query(String.class).single());
        Duration validity = essaim.bean(ListSettings.class).unsubscribeValidity();
        ListTokens old = new ListTokens(() -> secret, validity,
                Clock.fixed(Instant.now().minus(validity).minus(Duration.ofDays(2)), ZoneOffset.UTC));
        return "/lists/unsubscribe/" + old.unsubscribeToken(list, member);
    }

    @Test
    void aCanaryPostedToAPublicListIsOnlyInItsArchiveAndAPrivateCanaryIsNowhere() throws Exception {
        MailingList list = newList("open", MailingList.Posting.ANYONE, MailingList.Archive.PUBLIC);
        String cid = account("cid");
        lists.join(list.address(), cid, Member.Role.MEMBER);
        String publicCanary = "PUBLICCANARY" + UUID.randomUUID().toString().replace("-", "");
        String privateCanary = "PRIVATECANARY" + UUID.randomUUID().toString().replace("-", "");

        assertThat(ListMail.viaSmtp(essaim, "poster@example.org", list.address(),
                ListMail.message("Poster <poster@example.org>", list.address(), "Canary", publicCanary))).startsWith("250");
        assertThat(ListMail.viaSmtp(essaim, "friend@example.org", cid,
                ListMail.message("Friend <friend@example.org>", cid, "Private", privateCanary))).startsWith("250");
        List<byte[]> inbox = ListMail.inbox(essaim, cid, PASSWORD, 2);
        assertThat(inbox.stream().map(m -> ListMail.decrypt(gpg, m)).toList())
                .anyMatch(text -> text.contains(publicCanary)).anyMatch(text -> text.contains(privateCanary));

        Path archive = essaim.dataDir().resolve("lists").resolve(list.address()).resolve("archive");
        assertThat(filesContaining(essaim.dataDir(), publicCanary))
                .isNotEmpty().allMatch(file -> file.startsWith(archive));
        assertThat(filesContaining(essaim.dataDir(), privateCanary)).isEmpty();
    }

    private static List<Path> filesContaining(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    continue; // a file removed meanwhile (queue, lock files)
                }
                if (indexOf(bytes, needle) >= 0) {
                    found.add(file);
                }
            }
        }
        return found;
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

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A mail provider's RFC 8058 one-click POST. */
    private static HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
