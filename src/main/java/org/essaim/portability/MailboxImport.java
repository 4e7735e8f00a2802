package org.essaim.portability;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.essaim.keys.KeyRejectedException;
import org.essaim.keys.PublicKeyDirectory;
import org.essaim.mailserver.MailboxTransfer;
import org.essaim.webmail.composing.ComposerPreferences;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * "Import": reads an export zip ({@link MailboxExport}) as a stream, or any zip of Maildir folders or mbox files,
 * into the user's account: each message is appended to its folder with its flags and date, as it comes (no copy
 * on disk). Mail that arrives in clear (an mbox from another provider) is stored encrypted to the user's key like
 * any appended message. The public key is published when the account has none yet; settings are applied; the
 * contact keys are handed back to the browser, where they live.
 */
@Service
public class MailboxImport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MailboxTransfer transfer;
    private final PublicKeyDirectory keys;
    private final ComposerPreferences preferences;

    public MailboxImport(MailboxTransfer transfer, PublicKeyDirectory keys, ComposerPreferences preferences) {
        this.transfer = transfer;
        this.keys = keys;
        this.preferences = preferences;
    }

    /** What an import did. {@code contactKeys} is the armored text to give back to the browser, or null. */
    public record Result(int messages, Set<String> folders, String publicKey, String contactKeys, List<String> skipped) { }

    public Result importZip(String address, InputStream zipStream) throws IOException {
        Map<String, JsonNode> meta = new HashMap<>();
        Set<String> folders = new TreeSet<>();
        List<String> skipped = new ArrayList<>();
        int messages = 0;
        String publicKey = "none in the file";
        String contactKeys = null;
        ZipInputStream zip = new ZipInputStream(zipStream);
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
            String name = entry.getName();
            if (entry.isDirectory()) {
                continue;
            }
            if (name.startsWith(MailboxExport.META) && name.endsWith(".json")) {
                meta.put(name.substring(MailboxExport.META.length(), name.length() - ".json".length()), JSON.readTree(zip.readAllBytes()));
            } else if (name.matches(".*/(cur|new)/[^/]+")) {
                String directory = name.substring(0, name.lastIndexOf('/', name.lastIndexOf('/') - 1));
                String file = name.substring(name.lastIndexOf('/') + 1);
                JsonNode known = meta.remove(directory + "/" + file);
                String folder = known != null ? known.path("folder").asText() : MaildirNames.folderOf(directory);
                Set<String> flags = known != null ? flagsOf(known) : MaildirNames.flagsOf(file);
                Date date = known != null && known.hasNonNull("internalDate") ? new Date(known.get("internalDate").asLong())
                        : MaildirNames.dateOf(file);
                transfer.append(address, folder, zip.readAllBytes(), flags, date);
                folders.add(folder);
                messages++;
            } else if (name.endsWith(".mbox") || name.endsWith("/mbox")) {
                String folder = mboxFolder(name);
                for (byte[] message : Mbox.split(zip.readAllBytes())) {
                    transfer.append(address, folder, message, Set.of("\\Seen"), null);
                    messages++;
                }
                folders.add(folder);
            } else if (name.equals(MailboxExport.PUBLIC_KEY)) {
                publicKey = importPublicKey(address, zip.readAllBytes());
            } else if (name.equals(MailboxExport.CONTACT_KEYS)) {
                contactKeys = new String(zip.readAllBytes(), StandardCharsets.US_ASCII);
            } else if (name.equals(MailboxExport.SETTINGS)) {
                JsonNode settings = JSON.readTree(zip.readAllBytes());
                if (settings.has("signByDefault")) {
                    preferences.setSignsByDefault(address, settings.get("signByDefault").asBoolean());
                }
            } else if (!name.equals("README.txt")) {
                skipped.add(name);
            }
        }
        return new Result(messages, folders, publicKey, contactKeys, skipped);
    }

    private String importPublicKey(String address, byte[] armored) {
        if (keys.find(address).isPresent()) {
            return "kept the key already published";
        }
        try {
            keys.publish(address, armored);
            return "published";
        } catch (KeyRejectedException e) {
            return "not published: " + e.getMessage();
        }
    }

    private static Set<String> flagsOf(JsonNode meta) {
        Set<String> flags = new TreeSet<>();
        meta.path("flags").forEach(flag -> flags.add(flag.asText()));
        return flags;
    }

    private static String mboxFolder(String name) {
        String file = name.substring(name.lastIndexOf('/') + 1);
        if (file.equals("mbox")) {
            String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "INBOX";
            file = parent.substring(parent.lastIndexOf('/') + 1);
        }
        String folder = file.endsWith(".mbox") ? file.substring(0, file.length() - ".mbox".length()) : file;
        return folder.isBlank() || folder.equalsIgnoreCase("inbox") ? "INBOX" : folder;
    }
}
