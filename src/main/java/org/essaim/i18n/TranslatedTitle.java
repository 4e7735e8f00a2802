package org.essaim.i18n;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.router.HasDynamicTitle;

/**
 * A view whose browser tab title is in the page's language: "{title} · Essaim" (key {@code page.title}) with the
 * view's own key. Replaces {@code @PageTitle}, whose text is fixed at compile time.
 */
public interface TranslatedTitle extends HasDynamicTitle {

    /** The bundle key of this view's name, e.g. {@code title.keys}. */
    String titleKey();

    @Override
    default String getPageTitle() {
        Component view = (Component) this;
        return view.getTranslation("page.title", view.getTranslation(titleKey()));
    }
}
