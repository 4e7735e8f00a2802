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
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.essaim.i18n.LanguagePreferences;
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
        assertThat(confirmation).contains("This list is public")
                .as("no language chosen: English, then French").containsPattern("(?s)Someone \\(hopefully you\\).*---.*Quelqu'un");
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
                .contains("Reply-To: Ann <" + ann + ">")
                .as("the footer in every language, the plain post widened to UTF-8 rather than wrapped")
                .containsPattern("(?s)This list is public; its archive is at .*Cette liste est publique ; ses archives sont à l'adresse ")
                .contains("Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit").doesNotContain("multipart/mixed");
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

    @Test
    void aPgpMimeSignedPostStillVerifiesWithGnuPgAfterTheFooter(@TempDir Path work) throws Exception {
        MailingList list = newList("signed", MailingList.Posting.ANYONE, MailingList.Archive.PUBLIC);
        String eve = account("eve");
        lists.join(list.address(), eve, Member.Role.MEMBER);
        String author = "signer-" + UUID.randomUUID().toString().substring(0, 6) + "@example.org";
        gpg.generateKey(author);
        String part = "Content-Type: text/plain; charset=us-ascii\r\n\r\nThese words are signed.\r\n";
        String signature = new String(gpg.run(part.getBytes(StandardCharsets.US_ASCII), "--local-user", author,
                "--detach-sign", "--armor"), StandardCharsets.US_ASCII);
        String message = ListMail.message("Signer <" + author + ">", list.address(), "Signed post", ""
                        + "--sig-b\r\n" + part + "\r\n--sig-b\r\n"
                        + "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"
                        + signature.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n--sig-b--",
                "MIME-Version: 1.0",
                "Content-Type: multipart/signed; micalg=pgp-sha256; protocol=\"application/pgp-signature\"; boundary=\"sig-b\"");

        assertThat(ListMail.viaSmtp(essaim, author, list.address(), message)).startsWith("250");
        String copy = ListMail.decrypt(gpg, ListMail.inbox(essaim, eve, PASSWORD, 1).get(0));
        assertThat(copy).contains("multipart/mixed", "This list is public; its archive is at");
        int start = copy.indexOf("--sig-b\r\n") + "--sig-b\r\n".length();
        int end = copy.indexOf("\r\n--sig-b\r\n", start);
        Matcher armored = Pattern.compile("(?s)-----BEGIN PGP SIGNATURE-----.*?-----END PGP SIGNATURE-----").matcher(copy);
        assertThat(armored.find()).isTrue();
        Path signed = Files.write(work.resolve("signed"), copy.substring(start, end).getBytes(StandardCharsets.US_ASCII));
        Path sig = Files.write(work.resolve("signed.asc"), armored.group().getBytes(StandardCharsets.US_ASCII));
        String status = new String(gpg.run(null, "--status-fd", "1", "--verify", sig.toString(), signed.toString()),
                StandardCharsets.US_ASCII);
        assertThat(status).contains("GOODSIG", "VALIDSIG");
    }

    @Test
    void thePublicArchiveThreadsSearchesExportsMboxAndAtomAndShowsNoRawAddress(@TempDir Path work) throws Exception {
        MailingList list = newList("talk", MailingList.Posting.ANYONE, MailingList.Archive.PUBLIC);
        String word = "zebu" + UUID.randomUUID().toString().substring(0, 8);
        String root = ListMail.message("Root Writer <root.writer@example.org>", list.address(), "Thread root",
                "Write to someone@example.org about the " + word + ".");
        String rootId = messageIdOf(root);
        String reply = ListMail.message("Replier <replier@example.org>", list.address(), "Re: Thread root", "A reply.",
                "In-Reply-To: " + rootId, "References: " + rootId);
        String replyId = messageIdOf(reply);
        String deeper = ListMail.message("Third <third@example.org>", list.address(), "Re: Re: Thread root", "Deeper.",
                "References: " + rootId + " " + replyId);
        for (String post : List.of(root, reply, deeper)) {
            assertThat(ListMail.viaSmtp(essaim, "writer@example.org", list.address(), post)).startsWith("250");
        }
        String base = ListSettings.archivePath(list.address());

        HttpResponse<String> index = get(base);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("This list is public");
        String month = ArchiveStore.MONTH.format(Instant.now());
        HttpResponse<String> monthPage = get(base + month + "/");
        assertThat(monthPage.body()).containsPattern(
                "(?s)\\[talk\\] Thread root</a>.*?<ul><li>.*?\\[talk\\] Re: Thread root</a>.*?<ul><li>.*?\\[talk\\] Re: Re: Thread root</a>");
        HttpResponse<String> search = get(base + "search?q=" + word);
        assertThat(search.body()).contains("1 post found", "[talk] Thread root");
        assertThat(get(base + "search?q=" + word, "fr").body()).contains("<html lang=\"fr\">", "1 message trouvé", "[talk] Thread root");
        Matcher postLink = Pattern.compile("href=\"(" + Pattern.quote(base) + "post/\\d+)\"").matcher(search.body());
        assertThat(postLink.find()).isTrue();
        HttpResponse<String> post = get(postLink.group(1));
        assertThat(post.body()).contains("someone at example.org", word);
        for (HttpResponse<String> page : List.of(index, monthPage, search, post)) {
            assertThat(ARCHIVE_RAW_ADDRESS.matcher(page.body()).find()).as(page.uri() + " shows no raw address").isFalse();
            assertThat(page.body()).doesNotContain("Received", "127.0.0.1");
        }
        HttpResponse<String> atom = get(base + "atom.xml");
        assertThat(atom.body()).contains("<feed").containsPattern("(?s)(<entry>.*){3}");

        HttpResponse<byte[]> mbox = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + base + month + ".mbox")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Path file = Files.write(work.resolve("talk.mbox"), mbox.body());
        Process python = new ProcessBuilder("python3", "-c",
                "import mailbox,sys\nbox=mailbox.mbox(sys.argv[1])\nprint(len(box))\nfor m in box: print(m['subject'])",
                file.toString()).redirectErrorStream(true).start();
        String parsed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor()).isZero();
        assertThat(parsed.lines().toList()).containsExactly("3", "[talk] Thread root", "[talk] Re: Thread root",
                "[talk] Re: Re: Thread root");
    }

    private static String messageIdOf(String message) {
        Matcher id = Pattern.compile("Message-ID: (<[^>]+>)").matcher(message);
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    @Test
    void aNonMemberPostIsHeldThenApprovedAndDeliveredExactlyOnce() throws Exception {
        MailingList list = newList("held", MailingList.Posting.MEMBERS, MailingList.Archive.PUBLIC);
        String fay = account("fay");
        lists.join(list.address(), fay, Member.Role.MEMBER);
        assertThat(ListMail.viaSmtp(essaim, "stranger@example.org", list.address(),
                ListMail.message("Stranger <stranger@example.org>", list.address(), "Let me in", "A stranger writes."))).startsWith("250");
        List<ListDirectory.HeldPost> held = lists.held(list.address());
        assertThat(held).hasSize(1);
        assertThat(lists.heldText(list.address(), held.get(0).id()).text()).contains("A stranger writes.");
        assertThat(essaim.bean(ArchiveStore.class).count(list.address())).as("not archived while held").isZero();

        assertThat(lists.approve(list.address(), held.get(0).id(), false)).isTrue();
        assertThat(lists.approve(list.address(), held.get(0).id(), false)).as("a second approval finds nothing").isFalse();
        assertThat(lists.held(list.address())).isEmpty();
        ListMail.inbox(essaim, fay, PASSWORD, 1);
        Thread.sleep(1500); // let any (wrong) second copy arrive
        List<String> copies = ListMail.inbox(essaim, fay, PASSWORD, 1).stream().map(m -> ListMail.decrypt(gpg, m)).toList();
        assertThat(copies).hasSize(1);
        assertThat(copies.get(0)).contains("A stranger writes.");
        assertThat(essaim.bean(ArchiveStore.class).count(list.address())).isEqualTo(1);
    }

    @Test
    void theAdminsListIsTheAdminsAndAFollowerReadsButCannotPost() throws Exception {
        MailingList admins = lists.list("admins@" + EssaimInstance.DOMAIN).orElseThrow();
        String gil = account("gil");
        String hal = account("hal");
        org.essaim.accounts.AccountRoles roles = essaim.bean(org.essaim.accounts.AccountRoles.class);
        assertThat(lists.recipients(admins)).doesNotContain(gil);
        roles.grant(gil, org.essaim.accounts.AccountRoles.ADMIN); // what a completed co-optation does
        assertThat(lists.recipients(admins)).contains(gil).containsAll(roles.admins());
        lists.join(admins.address(), hal, Member.Role.FOLLOWER);

        String refused = ListMail.viaSubmission(essaim, hal, PASSWORD, admins.address(),
                ListMail.message(hal, admins.address(), "May I?", "A follower tries to post."));
        assertThat(refused).as("the sender's language is unknown: every language, English first, in ASCII")
                .startsWith("550 5.7.1 Only the admins post to " + admins.address())
                .contains(" / Seuls les admins ecrivent a " + admins.address()).isASCII();
        assertThat(ListMail.viaSmtp(essaim, "gil@example.org", admins.address(),
                ListMail.message("Gil <" + gil + ">", admins.address(), "Forged", "Not logged in."))).startsWith("550");

        assertThat(ListMail.viaSubmission(essaim, gil, PASSWORD, admins.address(),
                ListMail.message("Gil <" + gil + ">", admins.address(), "Admin news", "Decided today."))).startsWith("250");
        assertThat(ListMail.decrypt(gpg, ListMail.inbox(essaim, hal, PASSWORD, 1).get(0))).contains("Decided today.");
        assertThat(ListMail.decrypt(gpg, ListMail.inbox(essaim, gil, PASSWORD, 1).get(0))).contains("[admins] Admin news");
        ArchiveStore.Entry archived = essaim.bean(ArchiveStore.class).latest(admins.address(), 1).get(0);
        assertThat(archived.encrypted()).as("members-only archive: stored encrypted").isTrue();
        assertThat(new String(gpg.decrypt(essaim.bean(ArchiveStore.class).bytes(archived)), StandardCharsets.UTF_8))
                .contains("Decided today.");

        roles.revoke(gil); // removal or resignation
        assertThat(lists.recipients(admins)).doesNotContain(gil).contains(hal);
    }

    @Test
    void subscribingOnTheWebSendsAConfirmationAndOnlyItsPostSubscribes() throws Exception {
        MailingList list = newList("web", MailingList.Posting.MEMBERS, MailingList.Archive.PUBLIC);
        String ida = account("ida");
        essaim.bean(LanguagePreferences.class).choose(ida, Locale.FRENCH);
        HttpResponse<String> info = get(ListSettings.listPagePath(list.address()));
        assertThat(info.body()).contains("This list is public").containsPattern("(?s)This list is public.*<form");
        assertThat(ARCHIVE_RAW_ADDRESS.matcher(info.body()).find()).isFalse();
        assertThat(info.body()).as("no Accept-Language: English").contains("<html lang=\"en\">");
        HttpResponse<String> french = get(ListSettings.listPagePath(list.address()), "fr-FR,fr;q=0.9,en;q=0.5");
        assertThat(french.statusCode()).isEqualTo(200);
        assertThat(french.body()).contains("<html lang=\"fr\">", "Cette liste est publique.", "S'abonner")
                .containsPattern("(?s)Cette liste est publique.*<form").doesNotContain("This list is public");
        assertThat(get(ListSettings.listPagePath(list.address()), "de-DE,en;q=0.5").body())
                .as("a language without a bundle: English").contains("<html lang=\"en\">", "This list is public.");
        HttpResponse<String> asked = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl()
                        + ListSettings.listPagePath(list.address()) + "/subscribe"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("address=" + java.net.URLEncoder.encode(ida, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(asked.statusCode()).isEqualTo(200);
        String confirmation = ListMail.decrypt(gpg, ListMail.inbox(essaim, ida, PASSWORD, 1).get(0));
        assertThat(confirmation).as("ida chose French").contains("Quelqu'un (vous, espérons-le) a demandé à s'abonner")
                .doesNotContain("Someone (hopefully you)");
        Matcher link = Pattern.compile("https?://\\S+?(/lists/confirm/[0-9a-f]+)").matcher(confirmation);
        assertThat(link.find()).isTrue();
        assertThat(get(link.group(1)).statusCode()).isEqualTo(200);
        assertThat(lists.members(list.address())).as("opening the link changes nothing").isEmpty();
        assertThat(post(link.group(1)).statusCode()).isEqualTo(200);
        assertThat(lists.members(list.address())).extracting(Member::address).containsExactly(ida);
        assertThat(post(link.group(1)).statusCode()).as("a confirmation works once").isEqualTo(404);
    }

    @Test
    void anEncryptedPostToAPublicListIsRefusedWithItsReason() throws Exception {
        MailingList list = newList("clear", MailingList.Posting.ANYONE, MailingList.Archive.PUBLIC);
        String jo = account("jo");
        byte[] armored = gpg.encryptArmored("Content-Type: text/plain\r\n\r\nsecret\r\n".getBytes(StandardCharsets.US_ASCII), jo);
        String message = ListMail.message("Jo <" + jo + ">", list.address(), "...", "--enc\r\n"
                        + "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n--enc\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n"
                        + new String(armored, StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n")
                        + "\r\n--enc--",
                "MIME-Version: 1.0", "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"enc\"");
        String answer = ListMail.viaSubmission(essaim, jo, PASSWORD, list.address(), message);
        assertThat(answer).startsWith("550").contains("archive is public").contains("encrypted post");
        assertThat(essaim.bean(ArchiveStore.class).count(list.address())).isZero();
    }

    @Test
    void repeatedHardBouncesDisableAMemberAndTellTheOwners() throws Exception {
        String kim = account("kim");
        String address = "bounce-" + UUID.randomUUID().toString().substring(0, 6) + "@" + EssaimInstance.DOMAIN;
        MailingList list = new MailingList(address, "Bouncing", List.of(kim), MailingList.Posting.MEMBERS,
                MailingList.Archive.NONE, "", MailingList.Kind.ORDINARY);
        lists.create(list);
        String far = "far@faraway.example";
        lists.addMember(list.address(), far);
        String bounceAddress = list.name() + "-bounces+" + essaim.bean(ListTokens.class).bounceToken(list.address(), far)
                + "@" + list.domain();
        assertThat(ListMail.viaSmtp(essaim, "", bounceAddress, dsn(bounceAddress, "4.2.2"))).startsWith("250");
        assertThat(lists.members(list.address()).get(0).hardBounces()).as("a temporary failure does not count").isZero();
        assertThat(ListMail.viaSmtp(essaim, "", list.name() + "-bounces+0000000000000000@" + list.domain(),
                dsn(bounceAddress, "5.1.1"))).as("an unknown token counts for nobody").startsWith("250");
        for (int i = 0; i < essaim.bean(ListSettings.class).bounceLimit(); i++) {
            assertThat(ListMail.viaSmtp(essaim, "", bounceAddress, dsn(bounceAddress, "5.1.1"))).startsWith("250");
        }
        Member member = lists.members(list.address()).get(0);
        assertThat(member.disabledAt()).isPresent();
        assertThat(lists.recipients(lists.list(list.address()).orElseThrow())).doesNotContain(far);
        String notice = ListMail.decrypt(gpg, ListMail.inbox(essaim, kim, PASSWORD, 1).get(0));
        assertThat(notice).contains(far, "bounced");
        Matcher subject = Pattern.compile("(?m)^Subject: ([^\r\n]*)").matcher(notice);
        assertThat(subject.find()).isTrue();
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(subject.group(1)))
                .as("kim chose no language: English, then French").isEqualTo("Member disabled on " + list.address()
                        + " / Membre désactivé sur " + list.address());
        lists.enable(list.address(), far);
        assertThat(lists.recipients(lists.list(list.address()).orElseThrow())).contains(far);
    }

    /** A delivery status notification (RFC 3464) as a remote server sends it back. */
    private static String dsn(String to, String status) {
        return "From: MAILER-DAEMON@faraway.example\r\nTo: " + to + "\r\nSubject: Delivery Status Notification\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@faraway.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\r\n\r\n"
                + "--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
                + "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; faraway.example\r\n\r\n"
                + "Final-Recipient: rfc822; far@faraway.example\r\nAction: failed\r\nStatus: " + status + "\r\n"
                + "\r\n--r--";
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

    private static HttpResponse<String> get(String path, String acceptLanguage) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).header("Accept-Language", acceptLanguage)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A mail provider's RFC 8058 one-click POST. */
    private static HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
