package org.essaim.lists;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

/**
 * The webmail's Lists page in Chromium: a public list says it is public before anyone joins; a member joins and
 * follows from there; an owner approves a held post on the list's manage page, and the post is archived.
 */
class ListsPageTest {
    private static final String PASSWORD = "a long enough test password";
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    static EssaimInstance essaim;
    static ListService lists;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        lists = essaim.bean(ListService.class);
    }

    static String account(String name) {
        String address = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(address, PASSWORD);
        essaim.publishGeneratedKey(address);
        return address;
    }

    @Test
    void aMemberSeesThePublicNoticeBeforeJoiningAndAnOwnerApprovesAHeldPost() {
        String owner = account("owner");
        String ivy = account("ivy");
        MailingList list = new MailingList("club-" + UUID.randomUUID().toString().substring(0, 6) + "@" + EssaimInstance.DOMAIN,
                "The club", List.of(owner), MailingList.Posting.MEMBERS, MailingList.Archive.PUBLIC, "[club]",
                MailingList.Kind.ORDINARY);
        lists.create(list);

        Page page = browser.page();
        LoginPage.logIn(page, essaim, ivy, PASSWORD);
        page.navigate(essaim.baseUrl() + "/lists");
        Locator card = page.locator(".list-card[data-list='" + list.address() + "']");
        assertThat(card.locator(".public-notice")).containsText("This list is public");
        assertThat(card.locator(".list-status")).containsText("not on this list");
        card.locator(".join-button").click();
        assertThat(card.locator(".list-status")).containsText("You are a member");
        assertThat(lists.members(list.address())).extracting(Member::address).containsExactly(ivy);
        Locator admins = page.locator(".list-card[data-list='admins@" + EssaimInstance.DOMAIN + "']");
        assertThat(admins.locator(".join-button")).hasCount(0);
        admins.locator(".follow-button").click();
        assertThat(admins.locator(".list-status")).containsText("You follow this list");
        page.context().close();

        assertThat(ListMail.viaSmtp(essaim, "guest@example.org", list.address(),
                ListMail.message("Guest <guest@example.org>", list.address(), "Guest post", "Hello from a guest."))).startsWith("250");
        Page ownerPage = browser.newPage();
        LoginPage.logIn(ownerPage, essaim, owner, PASSWORD);
        ownerPage.navigate(essaim.baseUrl() + "/lists/manage/" + list.address());
        Locator held = ownerPage.locator(".held-post");
        assertThat(held).hasCount(1);
        assertThat(held).containsText("Hello from a guest.");
        held.locator(".allow-button").click();
        assertThat(ownerPage.locator(".held-post")).hasCount(0);
        assertThat(essaim.bean(ArchiveStore.class).count(list.address())).isEqualTo(1);
    }
}
