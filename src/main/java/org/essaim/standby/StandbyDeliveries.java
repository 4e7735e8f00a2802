package org.essaim.standby;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The ids of the messages a standby handed over to this primary (migration V50), so none is stored twice. */
@Repository
class StandbyDeliveries {
    private final JdbcClient jdbc;

    StandbyDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean contains(String deliveryId) {
        return jdbc.sql("SELECT COUNT(*) FROM standby_delivery WHERE delivery_id = ?").param(deliveryId)
                .query(Long.class).single() > 0;
    }

    void record(String deliveryId) {
        jdbc.sql("INSERT INTO standby_delivery (delivery_id, delivered_at) VALUES (?, ?)")
                .params(deliveryId, OffsetDateTime.now(ZoneOffset.UTC)).update();
    }
}
