package org.essaim.lists;

import java.time.Duration;

import org.essaim.config.EssaimProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The lists' settings ({@code essaim.lists.*}, README): the web address written into posts (archive and
 * unsubscribe links), how many hard bounces disable a member, and how long an unsubscribe link works.
 */
@Component
public class ListSettings {
    private final String webUrl;
    private final int bounceLimit;
    private final Duration unsubscribeValidity;
    private final EssaimProperties properties;

    public ListSettings(EssaimProperties properties,
                        @Value("${essaim.lists.web-url:}") String webUrl,
                        @Value("${essaim.lists.bounce-limit:3}") int bounceLimit,
                        @Value("${essaim.lists.unsubscribe-link-days:180}") int unsubscribeDays) {
        this.properties = properties;
        this.webUrl = webUrl == null || webUrl.isBlank()
                ? "https://" + properties.effectiveHostname()
                : webUrl.replaceAll("/+$", "");
        this.bounceLimit = bounceLimit;
        this.unsubscribeValidity = Duration.ofDays(unsubscribeDays);
    }

    /** The web address people reach this server at, without a trailing slash. */
    public String webUrl() {
        return webUrl;
    }

    public int bounceLimit() {
        return bounceLimit;
    }

    public Duration unsubscribeValidity() {
        return unsubscribeValidity;
    }

    public String domain() {
        return properties.domain();
    }

    /** essaim.audit.public: the admins' list's archive is public like the log. */
    public boolean auditIsPublic() {
        return properties.audit().publicLog();
    }

    /** The archive's address: /archives/domain/name/ (no "@" in any link, so pages hold no raw address). */
    public String archiveUrl(String list) {
        return webUrl + archivePath(list);
    }

    public static String archivePath(String list) {
        return "/archives/" + pathOf(list) + "/";
    }

    public String listPageUrl(String list) {
        return webUrl + listPagePath(list);
    }

    public static String listPagePath(String list) {
        return "/lists/info/" + pathOf(list);
    }

    /** "domain/name" for name@domain. */
    static String pathOf(String list) {
        int at = list.indexOf('@');
        return list.substring(at + 1) + "/" + list.substring(0, at);
    }

    public String unsubscribeUrl(String token) {
        return webUrl + "/lists/unsubscribe/" + token;
    }

    public String confirmUrl(String token) {
        return webUrl + "/lists/confirm/" + token;
    }
}
