package org.essaim.support;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/** The login page as a person uses it: open it, type the address and password, press "Log in". */
public final class LoginPage {
    private LoginPage() {
    }

    /** Submits the login form; callers wait for what they expect next (inbox, error, redirect). */
    public static void logIn(Page page, EssaimInstance essaim, String address, String password) {
        page.navigate(essaim.baseUrl() + "/login");
        page.getByLabel("E-mail address").fill(address);
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(password);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
    }
}
