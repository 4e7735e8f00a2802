package org.essaim.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WkdHashTest {

    @Test
    void hashesTheLowerCasedLocalPartAsTheWkdDraftsExampleDoes() {
        // draft-koch-openpgp-webkey-service, section 3.1: "Joe.Doe@Example.ORG"
        assertThat(WkdHash.ofLocalPart("Joe.Doe")).isEqualTo("iy9q119eutrkn8s1mk4r39qejnbu3n5q");
    }

    @Test
    void agreesWithGnupg() {
        // printed by GnuPG 2.2.40: gpg --with-wkd-hash -k Ada.Lovelace@example.org
        assertThat(WkdHash.ofLocalPart("Ada.Lovelace")).isEqualTo("aynje1y61icyrx3hamye4z1wkxiu3zh3");
    }

    @Test
    void theLocalPartIsEverythingBeforeTheLastAt() {
        assertThat(WkdHash.localPartOf("Joe.Doe@Example.ORG")).isEqualTo("Joe.Doe");
    }
}
