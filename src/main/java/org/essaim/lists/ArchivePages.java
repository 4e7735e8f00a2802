package org.essaim.lists;

import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import org.essaim.i18n.Translations;

/**
 * A public list's archive on the web, for anyone: the months, each month threaded by In-Reply-To/References, each
 * post, full-text search, an mbox per month and an Atom feed. Addresses appear as "name at domain"; the stored posts
 * hold no Received lines (the list took them out). Members-only archives are not served here (they are encrypted;
 * members read them in the webmail). Pages speak the language the browser prefers among those of the bundles (see
 * {@link PageWords}); the posts themselves are shown as written.
 */
@RestController
class ArchivePages {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

    private final ListService lists;
    private final ListSettings settings;
    private final Translations translations;

    ArchivePages(ListService lists, ListSettings settings, Translations translations) {
        this.lists = lists;
        this.settings = settings;
        this.translations = translations;
    }

    private Optional<MailingList> publicList(String domain, String name) {
        return lists.list(name + "@" + domain).filter(MailingList::isPublic);
    }

    private static ResponseEntity<String> notFound(PageWords words) {
        String title = words.getTranslation("archivepage.noSuchArchive");
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(HTML)
                .body(words.page(title, "<h1>" + title + "</h1><p>" + words.getTranslation("archivepage.noPublicArchive") + "</p>"));
    }

    private static ResponseEntity<String> html(PageWords words, String title, String body) {
        return ResponseEntity.ok().contentType(HTML).body(words.page(title, body));
    }

    @GetMapping("/archives/{domain}/{name}/")
    ResponseEntity<String> index(@PathVariable String domain, @PathVariable String name, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<MailingList> found = publicList(domain, name);
        if (found.isEmpty()) {
            return notFound(words);
        }
        MailingList list = found.get();
        String base = ListSettings.archivePath(list.address());
        StringBuilder body = new StringBuilder();
        body.append("<h1>").append(words.getTranslation("archivepage.archiveOf", Html.text(list.address()))).append("</h1>")
                .append("<p>").append(Html.text(list.description())).append("</p>")
                .append("<p class=\"notice\">").append(words.getTranslation("archivepage.publicNotice")).append("</p>")
                .append(searchForm(words, base, ""))
                .append("<p><a href=\"").append(Html.attribute(base + "atom.xml")).append("\">").append(words.getTranslation("archivepage.atomFeed")).append("</a> · ")
                .append("<a href=\"").append(Html.attribute(ListSettings.listPagePath(list.address()))).append("\">").append(words.getTranslation("archivepage.aboutList")).append("</a></p>")
                .append("<h2>").append(words.getTranslation("archivepage.months")).append("</h2><ul>");
        for (String month : lists.archive().months(list.address())) {
            int count = (int) lists.archive().month(list.address(), month).stream().filter(e -> !e.encrypted()).count();
            body.append("<li><a href=\"").append(Html.attribute(base + month + "/")).append("\">").append(Html.text(month))
                    .append("</a> (").append(words.getTranslation("archivepage.postCount", count)).append(") · <a href=\"")
                    .append(Html.attribute(base + month + ".mbox")).append("\">mbox</a></li>");
        }
        body.append("</ul>");
        return html(words, words.getTranslation("archivepage.archiveOf", list.address()), body.toString());
    }

    private static String searchForm(PageWords words, String base, String query) {
        return "<form method=\"get\" action=\"" + Html.attribute(base + "search") + "\"><input type=\"search\" name=\"q\" value=\""
                + Html.text(query) + "\" aria-label=\"" + words.getTranslation("archivepage.searchLabel") + "\"> <button type=\"submit\">"
                + words.getTranslation("archivepage.search") + "</button></form>";
    }

    @GetMapping("/archives/{domain}/{name}/{month:\\d{4}-\\d{2}}/")
    ResponseEntity<String> month(@PathVariable String domain, @PathVariable String name, @PathVariable String month,
                                 HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<MailingList> found = publicList(domain, name);
        if (found.isEmpty()) {
            return notFound(words);
        }
        MailingList list = found.get();
        String base = ListSettings.archivePath(list.address());
        List<ArchiveStore.Entry> entries = lists.archive().month(list.address(), month).stream()
                .filter(e -> !e.encrypted()).toList();
        Map<Long, ArchiveStore.Entry> byId = new LinkedHashMap<>();
        entries.forEach(e -> byId.put(e.id(), e));
        Map<Long, List<ArchiveStore.Entry>> children = new LinkedHashMap<>();
        List<ArchiveStore.Entry> roots = new ArrayList<>();
        for (ArchiveStore.Entry entry : entries) {
            if (entry.parentId().isPresent() && byId.containsKey(entry.parentId().get())) {
                children.computeIfAbsent(entry.parentId().get(), k -> new ArrayList<>()).add(entry);
            } else {
                roots.add(entry);
            }
        }
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"").append(Html.attribute(base)).append("\">").append(Html.text(list.address()))
                .append("</a></p><h1>").append(Html.text(month)).append("</h1>")
                .append("<p class=\"notice\">").append(words.getTranslation("archivepage.publicAt", Html.text(settings.archiveUrl(list.address()))))
                .append("</p>").append(searchForm(words, base, "")).append("<p><a href=\"")
                .append(Html.attribute(base + month + ".mbox")).append("\">").append(words.getTranslation("archivepage.downloadMbox"))
                .append("</a></p>");
        roots.sort(Comparator.comparing(ArchiveStore.Entry::postedAt));
        for (ArchiveStore.Entry root : roots) {
            body.append("<ul class=\"thread\">");
            writeThread(body, base, root, children);
            body.append("</ul>");
        }
        if (roots.isEmpty()) {
            body.append("<p>").append(words.getTranslation("archivepage.noPosts")).append("</p>");
        }
        return html(words, list.address() + " " + month, body.toString());
    }

    private void writeThread(StringBuilder body, String base, ArchiveStore.Entry entry, Map<Long, List<ArchiveStore.Entry>> children) {
        PostText text = PostText.of(lists.archive().bytes(entry));
        body.append("<li><a href=\"").append(Html.attribute(base + "post/" + entry.id())).append("\">")
                .append(Html.text(text.subject())).append("</a> <span class=\"meta\">").append(Html.text(author(text)))
                .append(", ").append(Html.text(DAY.format(entry.postedAt()))).append("</span>");
        List<ArchiveStore.Entry> replies = children.getOrDefault(entry.id(), List.of());
        if (!replies.isEmpty()) {
            body.append("<ul>");
            for (ArchiveStore.Entry reply : replies) {
                writeThread(body, base, reply, children);
            }
            body.append("</ul>");
        }
        body.append("</li>");
    }

    private static String author(PostText text) {
        return text.authorName().isBlank() ? Html.obfuscate(text.authorAddress())
                : text.authorName() + " (" + Html.obfuscate(text.authorAddress()) + ")";
    }

    @GetMapping("/archives/{domain}/{name}/post/{id:\\d+}")
    ResponseEntity<String> post(@PathVariable String domain, @PathVariable String name, @PathVariable long id,
                                HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<MailingList> found = publicList(domain, name);
        Optional<ArchiveStore.Entry> entry = found.flatMap(list -> lists.archive().entry(list.address(), id))
                .filter(e -> !e.encrypted());
        if (entry.isEmpty()) {
            return notFound(words);
        }
        MailingList list = found.get();
        String base = ListSettings.archivePath(list.address());
        PostText text = PostText.of(lists.archive().bytes(entry.get()));
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"").append(Html.attribute(base)).append("\">").append(Html.text(list.address()))
                .append("</a> › <a href=\"").append(Html.attribute(base + entry.get().month() + "/")).append("\">")
                .append(Html.text(entry.get().month())).append("</a></p>")
                .append("<h1>").append(Html.text(text.subject())).append("</h1>")
                .append("<p class=\"meta\">").append(words.getTranslation("archivepage.fromOn", Html.text(author(text)),
                        Html.text(DAY.format(entry.get().postedAt())))).append("</p>");
        entry.get().parentId().ifPresent(parent -> body.append("<p>").append(words.getTranslation("archivepage.inReplyTo",
                Html.attribute(base + "post/" + parent))).append("</p>"));
        body.append("<pre>").append(Html.text(text.text())).append("</pre>");
        return html(words, text.subject(), body.toString());
    }

    @GetMapping("/archives/{domain}/{name}/search")
    ResponseEntity<String> search(@PathVariable String domain, @PathVariable String name,
                                  @RequestParam(name = "q", defaultValue = "") String query, HttpServletRequest request) {
        PageWords words = PageWords.of(translations, request);
        Optional<MailingList> found = publicList(domain, name);
        if (found.isEmpty()) {
            return notFound(words);
        }
        MailingList list = found.get();
        String base = ListSettings.archivePath(list.address());
        List<Long> hits = lists.archive().search(list.address(), query, 100);
        StringBuilder body = new StringBuilder();
        body.append("<p><a href=\"").append(Html.attribute(base)).append("\">").append(Html.text(list.address()))
                .append("</a></p><h1>").append(words.getTranslation("archivepage.search")).append("</h1>").append(searchForm(words, base, query))
                .append("<p>").append(words.getTranslation("archivepage.found", hits.size())).append("</p><ul>");
        for (long id : hits) {
            lists.archive().entry(list.address(), id).ifPresent(entry -> {
                PostText text = PostText.of(lists.archive().bytes(entry));
                body.append("<li><a href=\"").append(Html.attribute(base + "post/" + id)).append("\">")
                        .append(Html.text(text.subject())).append("</a> <span class=\"meta\">").append(Html.text(author(text)))
                        .append(", ").append(Html.text(DAY.format(entry.postedAt()))).append("</span></li>");
            });
        }
        body.append("</ul>");
        return html(words, words.getTranslation("archivepage.searchTitle", list.address()), body.toString());
    }

    @GetMapping("/archives/{domain}/{name}/{month:\\d{4}-\\d{2}}.mbox")
    void mbox(@PathVariable String domain, @PathVariable String name, @PathVariable String month,
              HttpServletResponse response) throws IOException {
        Optional<MailingList> found = publicList(domain, name);
        if (found.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType("application/mbox");
        response.setHeader("Content-Disposition", "attachment; filename=\"" + name + "-" + month + ".mbox\"");
        lists.archive().writeMbox(found.get().address(), month, response.getOutputStream());
    }

    @GetMapping("/archives/{domain}/{name}/atom.xml")
    ResponseEntity<String> atom(@PathVariable String domain, @PathVariable String name) {
        Optional<MailingList> found = publicList(domain, name);
        if (found.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        MailingList list = found.get();
        String archiveUrl = settings.archiveUrl(list.address());
        List<ArchiveStore.Entry> latest = lists.archive().latest(list.address(), 30).stream().filter(e -> !e.encrypted()).toList();
        StringBuilder feed = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
                .append("<title>").append(Html.text(list.address())).append("</title>")
                .append("<subtitle>").append(Html.text(list.description())).append("</subtitle>")
                .append("<id>").append(Html.attribute(archiveUrl)).append("</id>")
                .append("<link rel=\"alternate\" href=\"").append(Html.attribute(archiveUrl)).append("\"/>")
                .append("<link rel=\"self\" href=\"").append(Html.attribute(archiveUrl + "atom.xml")).append("\"/>")
                .append("<updated>").append(latest.isEmpty() ? java.time.Instant.EPOCH : latest.get(0).postedAt()).append("</updated>");
        for (ArchiveStore.Entry entry : latest) {
            PostText text = PostText.of(lists.archive().bytes(entry));
            String url = archiveUrl + "post/" + entry.id();
            feed.append("<entry><title>").append(Html.text(text.subject())).append("</title>")
                    .append("<id>").append(Html.attribute(url)).append("</id>")
                    .append("<link href=\"").append(Html.attribute(url)).append("\"/>")
                    .append("<updated>").append(entry.postedAt()).append("</updated>")
                    .append("<author><name>").append(Html.text(text.authorName().isBlank() ? text.authorAddress() : text.authorName()))
                    .append("</name></author>")
                    .append("<content type=\"text\">").append(Html.text(text.text())).append("</content></entry>");
        }
        feed.append("</feed>\n");
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/atom+xml;charset=UTF-8")).body(feed.toString());
    }
}
