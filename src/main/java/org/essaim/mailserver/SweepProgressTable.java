package org.essaim.mailserver;

import org.essaim.delivery.SweepProgress;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The stored-plaintext sweep's progress in the application's database (table plaintext_sweep_progress). */
@Repository
class SweepProgressTable implements SweepProgress {
    private final JdbcClient jdbc;

    SweepProgressTable(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long checkedUpTo(String mailbox) {
        return jdbc.sql("SELECT checked_up_to FROM plaintext_sweep_progress WHERE mailbox = ?")
                .param(mailbox).query(Long.class).optional().orElse(0L);
    }

    @Override
    public void checkedUpTo(String mailbox, long uid) {
        jdbc.sql("MERGE INTO plaintext_sweep_progress (mailbox, checked_up_to) KEY (mailbox) VALUES (?, ?)")
                .params(mailbox, uid).update();
    }
}
