package org.essaim.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Quotas typed by admins read like essaim.quota.default: binary units, or "default". */
class QuotaInputTest {

    @Test
    void sizesAreReadInTheSameUnitsAsTheDefaultQuota() {
        assertThat(QuotaInput.parse("500MB")).hasValue(DataSize.parse("500MB").toBytes());
        assertThat(QuotaInput.parse("2GB")).hasValue(DataSize.parse("2GB").toBytes());
        assertThat(QuotaInput.parse(" 1.5 gb ")).hasValue(1536L * 1024 * 1024);
        assertThat(QuotaInput.parse("4096")).hasValue(4096);
    }

    @Test
    void defaultGoesBackToTheServersDefault() {
        assertThat(QuotaInput.parse("Default")).isEmpty();
    }

    @Test
    void anythingElseIsRefusedWithAnExplanation() {
        for (String wrong : new String[] {"", "lots", "-1GB", "2 PB", "0", "0.1"}) {
            assertThatThrownBy(() -> QuotaInput.parse(wrong)).as(wrong).isInstanceOf(AdminActionException.class)
                    .hasMessageContaining("quota");
        }
    }
}
