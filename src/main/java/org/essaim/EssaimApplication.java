package org.essaim;

import org.essaim.backup.BackupCommand;
import org.essaim.backup.SeizureInventory;
import org.essaim.config.EssaimProperties;
import org.essaim.governance.AuditCommand;
import org.essaim.standby.StandbyCommand;
import org.essaim.spam.ModelTrainer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.theme.Theme;
import com.vaadin.flow.theme.lumo.Lumo;

/**
 * Essaim: one process that embeds Apache James (SMTP, submission, IMAP, POP3) and serves the Vaadin webmail.
 */
@SpringBootApplication
@EnableConfigurationProperties(EssaimProperties.class)
@EnableScheduling
@Push
@Theme(themeClass = Lumo.class)
public class EssaimApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        if (args.length > 0 && "audit".equals(args[0])) {
            // "essaim.jar audit verify ...": a plain command, no server, no Spring
            System.exit(AuditCommand.run(args, System.out, System.err));
        }
        if (args.length > 0 && "backup".equals(args[0])) {
            // "essaim.jar backup list|verify|restore ...": works on backup files, no server
            System.exit(BackupCommand.run(args, System.out, System.err));
        }
        if (args.length > 0 && "inventory".equals(args[0])) {
            // "essaim.jar inventory <data dir | backup>": what a seized disk or backup shows (docs/seizure.md)
            System.exit(SeizureInventory.run(args, System.out, System.err));
        }
        if (args.length > 0 && "standby".equals(args[0])) {
            // "essaim.jar standby promote ...": the standby's copy becomes a primary's data, server stopped
            System.exit(StandbyCommand.run(args, System.out, System.err));
        }
        if (args.length > 0 && "dkim".equals(args[0])) {
            System.exit(org.essaim.dkim.DkimCommand.run(args, System.out, System.err));
        }
        if (args.length > 0 && "dns".equals(args[0])) {
            System.exit(org.essaim.internet.DnsCommand.run(args, System.out, System.err));
        }
        if (args.length > 0 && "spam-model".equals(args[0])) {
            // "essaim.jar spam-model --spam DIR --ham DIR --out FILE": retrain the spam classifier, no server
            System.exit(ModelTrainer.run(args, System.out, System.err));
        }
        SpringApplication.run(EssaimApplication.class, args);
    }

    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Essaim");
    }
}
