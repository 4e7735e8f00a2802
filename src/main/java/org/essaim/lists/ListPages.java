package org.essaim.lists;

import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import org.essaim.i18n.Translations;

/**
 * The lists' public pages: a list's page (what it is, and for a public list that its archive is public, said before
 * the subscribe form), web subscription with double opt-in, confirmation, and RFC 8058 one-click unsubscribe.
 * <p>
 * Nothing changes on a GET: link scanners that open every URL of a message cannot subscribe or unsubscribe anyone.
 * A confirmation and an unsubscription happen only on a POST; a forged token gets 403, an expired one 410. Pages speak
 * the language the browser prefers among those of the bundles (see {@link PageWords}).
 */
@RestController
class ListPages {
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

    private final ListService lists;
    private final ListSettings settings;
    private final Translations translations;

    ListPages(ListService lists, ListSettings settings, Translations translations) {
        this.lists = lists;
        this.settings = settings;
        this.translations = translations;
    }

    private static ResponseEntity<String> html(PageWords words, HttpStatus status, String title, String body) {
        return ResponseEntity.status(status).contentType(HTML).body(words.page(title, body));
    }

    private static ResponseEntity<String> noSuchList(PageWords words) {
        String title = words.getTranslation("listpage.noSuchList");
        return html(words, HttpStatus.NOT_FOUND, title, "<h1>" + title + "</h1>");
    }

    @GetMapping("/lists/info/{domain}/{name}")
    ResponseEntity<String> info(@PathVariable String domain, @PathVariable String name, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<MailingList> found = lists.list(name + "@" + domain);
        if (found.isEmpty()) {
            return noSuchList(words);
        }
        MailingList list = found.get();
        StringBuilder body = new StringBuilder("<h1>").append(Html.text(list.address())).append("</h1>")
                .append("<p>").append(Html.text(list.description())).append("</p>");
        if (list.isPublic()) {
            String link = "<a href=\"" + Html.attribute(ListSettings.archivePath(list.address())) + "\">"
                    + Html.text(settings.archiveUrl(list.address())) + "</a>";
            body.append("<p class=\"notice\"><strong>").append(words.getTranslation("listpage.public")).append("</strong> ")
                    .append(words.getTranslation("listpage.publicArchive", link)).append(" ")
                    .append(words.getTranslation("listpage.onlyUnencrypted")).append("</p>");
        } else if (list.archive() == MailingList.Archive.MEMBERS) {
            body.append("<p>").append(words.getTranslation("lists.membersArchive")).append("</p>");
        } else {
            body.append("<p>").append(words.getTranslation("lists.noArchive")).append("</p>");
        }
        if (list.kind() == MailingList.Kind.ADMINS) {
            body.append("<p>").append(words.getTranslation("listpage.adminsList")).append("</p>");
        } else {
            body.append("<h2>").append(words.getTranslation("listpage.subscribe")).append("</h2><form method=\"post\" action=\"")
                    .append(Html.attribute(ListSettings.listPagePath(list.address()) + "/subscribe")).append("\">")
                    .append("<label>").append(words.getTranslation("listpage.yourAddress"))
                    .append(" <input type=\"email\" name=\"address\" required></label> ")
                    .append("<button type=\"submit\">").append(words.getTranslation("listpage.subscribeButton")).append("</button></form>")
                    .append("<p class=\"meta\">")
                    .append(words.getTranslation("listpage.subscribeHow", Html.text(list.commandAddress("subscribe")))).append("</p>");
        }
        body.append("<p class=\"meta\">").append(words.getTranslation("listpage.postAndLeave", Html.text(list.address()),
                Html.text(list.commandAddress("unsubscribe")))).append("</p>");
        return html(words, HttpStatus.OK, list.address(), body.toString());
    }

    @PostMapping("/lists/info/{domain}/{name}/subscribe")
    ResponseEntity<String> subscribe(@PathVariable String domain, @PathVariable String name,
                                     @RequestParam("address") String address, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<MailingList> found = lists.list(name + "@" + domain).filter(l -> l.kind() == MailingList.Kind.ORDINARY);
        if (found.isEmpty()) {
            return noSuchList(words);
        }
        String trimmed = address == null ? "" : address.strip();
        if (!trimmed.matches("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+")) {
            return html(words, HttpStatus.BAD_REQUEST, words.getTranslation("listpage.notAnAddressTitle"),
                    "<h1>" + words.getTranslation("listpage.notAnAddress") + "</h1>");
        }
        lists.requestSubscription(found.get().address(), trimmed);
        String title = words.getTranslation("listpage.checkMail");
        return html(words, HttpStatus.OK, title, "<h1>" + title + "</h1><p>"
                + words.getTranslation("listpage.checkMailText", Html.text(trimmed), Html.text(found.get().address())) + "</p>");
    }

    private static ResponseEntity<String> unknownConfirmation(PageWords words) {
        return html(words, HttpStatus.NOT_FOUND, words.getTranslation("listpage.unknownConfirmationTitle"),
                "<h1>" + words.getTranslation("listpage.unknownConfirmation") + "</h1>");
    }

    @GetMapping("/lists/confirm/{token}")
    ResponseEntity<String> confirmPage(@PathVariable String token, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<ListDirectory.Pending> pending = lists.pending(token);
        if (pending.isEmpty()) {
            return unknownConfirmation(words);
        }
        boolean join = pending.get().action() == ListDirectory.PendingAction.SUBSCRIBE;
        String list = pending.get().list();
        return html(words, HttpStatus.OK, words.getTranslation(join ? "listpage.joinTitle" : "listpage.leaveTitle", list),
                "<h1>" + words.getTranslation(join ? "listpage.joinQuestion" : "listpage.leaveQuestion", Html.text(list))
                        + "</h1><form method=\"post\"><button type=\"submit\">"
                        + words.getTranslation(join ? "listpage.confirmJoin" : "listpage.confirmLeave") + "</button></form>");
    }

    @PostMapping("/lists/confirm/{token}")
    ResponseEntity<String> confirm(@PathVariable String token, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<ListDirectory.Pending> pending = lists.pending(token);
        if (pending.isEmpty() || !lists.confirm(token)) {
            return unknownConfirmation(words);
        }
        boolean joined = pending.get().action() == ListDirectory.PendingAction.SUBSCRIBE;
        return html(words, HttpStatus.OK, words.getTranslation("listpage.confirmed"), "<h1>" + words.getTranslation("listpage.done")
                + "</h1><p>" + words.getTranslation(joined ? "listpage.youJoined" : "listpage.youLeft", Html.text(pending.get().list()))
                + "</p>");
    }

    /** Shows what the link does; unsubscribes nobody (link scanners open every link). */
    @GetMapping("/lists/unsubscribe/{token}")
    ResponseEntity<String> unsubscribePage(@PathVariable String token, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        ListTokens.Unsubscribe read = lists.readUnsubscribeToken(token);
        if (read instanceof ListTokens.Valid valid) {
            return html(words, HttpStatus.OK, words.getTranslation("listpage.leaveTitle", valid.list()),
                    "<h1>" + words.getTranslation("listpage.leaveQuestion", Html.text(valid.list())) + "</h1>"
                    + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                    + "<button type=\"submit\">" + words.getTranslation("listpage.unsubscribeButton") + "</button></form>");
        }
        return refusal(words, read);
    }

    /** RFC 8058: a POST (body List-Unsubscribe=One-Click, from a mail client or the page's button) unsubscribes. */
    @PostMapping("/lists/unsubscribe/{token}")
    ResponseEntity<String> unsubscribe(@PathVariable String token, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        ListTokens.Unsubscribe read = lists.unsubscribe(token);
        if (read instanceof ListTokens.Valid valid) {
            return html(words, HttpStatus.OK, words.getTranslation("listpage.unsubscribed"),
                    "<h1>" + words.getTranslation("listpage.youLeftHeading", Html.text(valid.list())) + "</h1>");
        }
        return refusal(words, read);
    }

    private ResponseEntity<String> refusal(PageWords words, ListTokens.Unsubscribe read) {
        if (read instanceof ListTokens.Expired expired) {
            return html(words, HttpStatus.GONE, words.getTranslation("listpage.linkExpiredTitle"), "<h1>"
                    + words.getTranslation("listpage.linkExpired") + "</h1><p>" + words.getTranslation("listpage.linkExpiredHow",
                    Html.attribute(ListSettings.listPagePath(expired.list()))) + "</p>");
        }
        return html(words, HttpStatus.FORBIDDEN, words.getTranslation("listpage.invalidLinkTitle"),
                "<h1>" + words.getTranslation("listpage.invalidLink") + "</h1>");
    }
}
