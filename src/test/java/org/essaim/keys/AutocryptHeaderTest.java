package org.essaim.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Test;

/** The Autocrypt header value of sent mail (Level 1 section 2.1), on a real key made by PGPainless. */
class AutocryptHeaderTest {

    @Test
    void carriesTheAddressMutualPreferenceAndTheKeyAsFoldedBase64OfItsBinaryPackets() {
        TestKeys.KeyPair key = TestKeys.generate("ada@essaim.test");
        String armored = new String(key.publicKey(), StandardCharsets.US_ASCII);

        String value = AutocryptHeader.value("Ada@Essaim.test", armored);

        assertThat(value).startsWith("addr=ada@essaim.test; prefer-encrypt=mutual; keydata=\r\n ");
        String[] folded = value.substring(value.indexOf("keydata=") + 8).split("\r\n ");
        assertThat(Arrays.stream(folded).skip(1)).allSatisfy(line -> assertThat(line.length()).isBetween(1, 76));
        byte[] keydata = Base64.getDecoder().decode(String.join("", folded).trim());
        assertThat(keydata).isEqualTo(AutocryptHeader.binary(armored));
        assertThat(keydata[0] & 0x80).as("an OpenPGP packet tag").isEqualTo(0x80);
        assertThat(new String(keydata, StandardCharsets.ISO_8859_1)).contains("ada@essaim.test");
    }

    @Test
    void refusesTextThatIsNotArmor() {
        assertThatThrownBy(() -> AutocryptHeader.binary("just text")).isInstanceOf(IllegalArgumentException.class);
    }
}
