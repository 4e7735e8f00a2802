-- Mail a standby held while this server was down, handed over once each (docs/standby.md): the standby names
-- every message with a stable id, so a retried hand-over (an answer lost on the way) stores nothing twice.
CREATE TABLE standby_delivery (
    delivery_id  VARCHAR(400)             NOT NULL PRIMARY KEY,
    delivered_at TIMESTAMP WITH TIME ZONE NOT NULL
);
