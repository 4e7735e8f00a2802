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
    void theLocalPartIsEverythingBeforeTheLastAt() {
        assertThat(WkdHash.localPartOf("Joe.Doe@Example.ORG")).isEqualTo("Joe.Doe");
    }
}
