package org.essaim.mailserver;

import org.essaim.config.EssaimProperties;
import org.essaim.delivery.StorageFloor;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** The data directory's free-space floor ({@code essaim.storage.min-free}), shared by SMTP, IMAP APPEND and the storage page. */
@Configuration
@EnableConfigurationProperties(StorageFloorConfiguration.StorageProperties.class)
public class StorageFloorConfiguration {

    /**
     * {@code essaim.storage.min-free}: below this much free space on the data directory's disk, new mail gets a
     * temporary refusal. Unset: 5% of the disk, at least 32 MiB and at most 1 GiB.
     */
    @ConfigurationProperties(prefix = "essaim.storage")
    public record StorageProperties(DataSize minFree) { }

    @Bean
    public StorageFloor storageFloor(EssaimProperties settings, StorageProperties storage) {
        java.nio.file.Path dataDir = settings.absoluteDataDir();
        long floor = storage.minFree() != null ? storage.minFree().toBytes() : StorageFloor.defaultFloor(dataDir);
        return new StorageFloor(dataDir, floor);
    }
}
