package org.essaim.support;

import org.essaim.EssaimApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The main class of an {@link EssaimChildProcess}: starts Essaim and prints {@link #READY} once it is ready — after
 * the start-up runners (the first admin is created by one) and the ready listeners, which the "Started" log line
 * comes before.
 */
public final class EssaimChildMain {
    static final String READY = "ESSAIM-CHILD-READY";

    private EssaimChildMain() {
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(EssaimApplication.class).run(args);
        System.out.println(READY);
    }
}
