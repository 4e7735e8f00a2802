package org.essaim.lists;

import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The lists' public pages: a list's page (what it is, and for a public list that its archive is public, said before
 * the subscribe form), web subscription with double opt-in, confirmation, and RFC 8058 one-click unsubscribe.
 * <p>
 * Nothing changes on a GET: link scanners that open every URL of a message cannot subscribe or unsubscribe anyone.
 * A confirmation and an unsubscription happen only on a POST; a forged token gets 403, an expired one 410.
 */
@RestController
class ListPages {
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

    private final ListService lists;
    private final ListSettings settings;

    ListPages(ListService lists, ListSettings settings) {
        this.lists = lists;
        this.settings = settings;
    }

    private static ResponseEntity<String> html(HttpStatus status, String title, String body) {
        return ResponseEntity.status(status).contentType(HTML).body(Html.page(title, body));
    }

    @GetMapping("/lists/info/{domain}/{name}")
    ResponseEntity<String> info(@PathVariable String domain, @PathVariable String name) {
        Optional<MailingList> found = lists.list(name + "@" + domain);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "No such list", "<h1>No such list</h1>");
        }
        MailingList list = found.get();
        StringBuilder body = new StringBuilder("<h1>").append(Html.text(list.address())).append("</h1>")
                .append("<p>").append(Html.text(list.description())).append("</p>");
        if (list.isPublic()) {
            body.append("<p class=\"notice\"><strong>This list is public.</strong> Everything posted to it is published in ")
                    .append("its archive for anyone to read, at <a href=\"").append(Html.attribute(ListSettings.archivePath(list.address())))
                    .append("\">").append(Html.text(settings.archiveUrl(list.address()))).append("</a>. ")
                    .append("It is the only mail Essaim keeps unencrypted.</p>");
        } else if (list.archive() == MailingList.Archive.MEMBERS) {
            body.append("<p>Its archive is for members only, stored encrypted to the members' keys.</p>");
        } else {
            body.append("<p>This list keeps no archive.</p>");
        }
        if (list.kind() == MailingList.Kind.ADMINS) {
            body.append("<p>Its members are the server's admins; only they post. Anyone with an account here may follow it ")
                    .append("from the Lists page of the webmail.</p>");
        } else {
            body.append("<h2>Subscribe</h2><form method=\"post\" action=\"")
                    .append(Html.attribute(ListSettings.listPagePath(list.address()) + "/subscribe")).append("\">")
                    .append("<label>Your address <input type=\"email\" name=\"address\" required></label> ")
                    .append("<button type=\"submit\">Subscribe</button></form>")
                    .append("<p class=\"meta\">We send a message to that address; you are on the list once you confirm. ")
                    .append("You can also write to ").append(Html.text(list.commandAddress("subscribe"))).append(".</p>");
        }
        body.append("<p class=\"meta\">To post, write to ").append(Html.text(list.address())).append(". To leave, write to ")
                .append(Html.text(list.commandAddress("unsubscribe"))).append(" or use the link in any post.</p>");
        return html(HttpStatus.OK, list.address(), body.toString());
    }

    @PostMapping("/lists/info/{domain}/{name}/subscribe")
    ResponseEntity<String> subscribe(@PathVariable String domain, @PathVariable String name,
                                     @RequestParam("address") String address) {
        Optional<MailingList> found = lists.list(name + "@" + domain).filter(l -> l.kind() == MailingList.Kind.ORDINARY);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "No such list", "<h1>No such list</h1>");
        }
        String trimmed = address == null ? "" : address.strip();
        if (!trimmed.matches("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+")) {
            return html(HttpStatus.BAD_REQUEST, "Not an address", "<h1>That is not an e-mail address</h1>");
        }
        lists.requestSubscription(found.get().address(), trimmed);
        return html(HttpStatus.OK, "Check your mail", "<h1>Check your mail</h1><p>We sent a message to "
                + Html.text(trimmed) + ". Reply to it, or open the link it holds, to join " + Html.text(found.get().address())
                + ".</p>");
    }

    @GetMapping("/lists/confirm/{token}")
    ResponseEntity<String> confirmPage(@PathVariable String token) {
        Optional<ListDirectory.Pending> pending = lists.pending(token);
        if (pending.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "Unknown confirmation", "<h1>This confirmation is unknown or was already used</h1>");
        }
        String what = pending.get().action() == ListDirectory.PendingAction.SUBSCRIBE ? "Join" : "Leave";
        return html(HttpStatus.OK, what + " " + pending.get().list(), "<h1>" + what + " " + Html.text(pending.get().list())
                + "?</h1><form method=\"post\"><button type=\"submit\">Confirm: " + what.toLowerCase(java.util.Locale.ROOT)
                + "</button></form>");
    }

    @PostMapping("/lists/confirm/{token}")
    ResponseEntity<String> confirm(@PathVariable String token) {
        Optional<ListDirectory.Pending> pending = lists.pending(token);
        if (pending.isEmpty() || !lists.confirm(token)) {
            return html(HttpStatus.NOT_FOUND, "Unknown confirmation", "<h1>This confirmation is unknown or was already used</h1>");
        }
        return html(HttpStatus.OK, "Confirmed", "<h1>Done</h1><p>"
                + (pending.get().action() == ListDirectory.PendingAction.SUBSCRIBE ? "You are on " : "You left ")
                + Html.text(pending.get().list()) + ".</p>");
    }

    /** Shows what the link does; unsubscribes nobody (link scanners open every link). */
    @GetMapping("/lists/unsubscribe/{token}")
    ResponseEntity<String> unsubscribePage(@PathVariable String token) {
        ListTokens.Unsubscribe read = lists.readUnsubscribeToken(token);
        if (read instanceof ListTokens.Valid valid) {
            return html(HttpStatus.OK, "Leave " + valid.list(), "<h1>Leave " + Html.text(valid.list()) + "?</h1>"
                    + "<form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">"
                    + "<button type=\"submit\">Unsubscribe</button></form>");
        }
        return refusal(read);
    }

    /** RFC 8058: a POST (body List-Unsubscribe=One-Click, from a mail client or the page's button) unsubscribes. */
    @PostMapping("/lists/unsubscribe/{token}")
    ResponseEntity<String> unsubscribe(@PathVariable String token) {
        ListTokens.Unsubscribe read = lists.unsubscribe(token);
        if (read instanceof ListTokens.Valid valid) {
            return html(HttpStatus.OK, "Unsubscribed", "<h1>You left " + Html.text(valid.list()) + "</h1>");
        }
        return refusal(read);
    }

    private ResponseEntity<String> refusal(ListTokens.Unsubscribe read) {
        if (read instanceof ListTokens.Expired expired) {
            return html(HttpStatus.GONE, "Link expired", "<h1>This unsubscribe link has expired</h1><p>Use the link of a "
                    + "more recent post, or write to the list's unsubscribe address (see <a href=\""
                    + Html.attribute(ListSettings.listPagePath(expired.list())) + "\">its page</a>).</p>");
        }
        return html(HttpStatus.FORBIDDEN, "Invalid link", "<h1>This unsubscribe link is not valid</h1>");
    }
}
