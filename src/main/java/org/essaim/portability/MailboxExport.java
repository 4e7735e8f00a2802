package org.essaim.portability;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.essaim.keys.PublicKeyDirectory;
import org.essaim.keys.StoredKey;
import org.essaim.mailserver.MailboxTransfer;
import org.essaim.webmail.composing.ComposerPreferences;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * "Export my mailbox": one zip with everything a user needs to leave, streamed as it is written (no copy on disk):
 * <pre>
 * README.txt              what is inside and how to import it elsewhere
 * Maildir/                every folder as stored (Maildir++: INBOX in Maildir/cur, folder X in Maildir/.X/cur),
 *                         messages as stored on the server: ciphertext stays ciphertext
 * essaim/messages/...     per message: all its IMAP flags (keywords too) and its date, for an exact import
 * public-key.asc          the public key the account published
 * contact-keys.asc        the contact keys kept in the browser (when exported from the webmail)
 * settings.json           the webmail settings
 * </pre>
 */
@Service
public class MailboxExport {
    static final String META = "essaim/messages/";
    static final String PUBLIC_KEY = "public-key.asc";
    static final String CONTACT_KEYS = "contact-keys.asc";
    static final String SETTINGS = "settings.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MailboxTransfer transfer;
    private final PublicKeyDirectory keys;
    private final ComposerPreferences preferences;

    public MailboxExport(MailboxTransfer transfer, PublicKeyDirectory keys, ComposerPreferences preferences) {
        this.transfer = transfer;
        this.keys = keys;
        this.preferences = preferences;
    }

    /** @param contactKeys armored contact keys from the user's browser, or null */
    public void write(String address, String contactKeys, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        add(zip, "README.txt", readme(address).getBytes(StandardCharsets.UTF_8));
        keys.find(address).map(StoredKey::armored)
                .ifPresent(armored -> addUnchecked(zip, PUBLIC_KEY, armored.getBytes(StandardCharsets.US_ASCII)));
        if (contactKeys != null && !contactKeys.isBlank()) {
            add(zip, CONTACT_KEYS, contactKeys.getBytes(StandardCharsets.US_ASCII));
        }
        add(zip, SETTINGS, JSON.writeValueAsBytes(Map.of("signByDefault", preferences.signsByDefault(address))));
        List<String> folders = transfer.folders(address);
        for (String folder : folders) {
            String directory = MaildirNames.directoryOf(folder);
            for (String sub : List.of("cur/", "new/", "tmp/")) {
                zip.putNextEntry(new ZipEntry(directory + "/" + sub));
                zip.closeEntry();
            }
        }
        transfer.export(address, message -> {
            String directory = MaildirNames.directoryOf(message.folder());
            String name = MaildirNames.fileName(message.internalDate(), folders.indexOf(message.folder()) + "_" + message.uid(),
                    message.flags());
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("folder", message.folder());
            meta.put("flags", message.flags());
            meta.put("internalDate", message.internalDate() == null ? null : message.internalDate().getTime());
            add(zip, META + directory + "/" + name + ".json", JSON.writeValueAsBytes(meta));
            add(zip, directory + "/cur/" + name, message.content());
        });
        zip.finish();
    }

    private static void add(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }

    private static void addUnchecked(ZipOutputStream zip, String name, byte[] content) {
        try {
            add(zip, name, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readme(String address) {
        return """
                Essaim export of %s

                Maildir/            your folders, each message exactly as the server stored it. Mail that was
                                    encrypted to your key is still encrypted: open it with your private key
                                    (Thunderbird, mutt + GnuPG, or the webmail of another Essaim).
                essaim/messages/    the IMAP flags and date of each message (keywords included)
                public-key.asc      your public key, as published
                contact-keys.asc    your correspondents' public keys kept in your browser (if exported from there)
                settings.json       your webmail settings

                Your PRIVATE key is not in here: the server never had it. Keep your own key backup.

                To move to another Essaim: in its webmail, My account, Import, choose this file.
                To move to any IMAP server: unzip, then copy the Maildir with mbsync (isync); see docs/leaving.md.
                """.formatted(address);
    }
}
