package org.essaim.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.essaim.dkim.DkimKey;
import org.essaim.dkim.DkimKeys;
import org.essaim.mailserver.MailServerBridge;

/**
 * The child side of {@link ChildEssaim}: starts an {@link EssaimInstance} from its arguments (data directory, then
 * key=value properties), logs on standard error, and answers one-line commands on standard input, one reply line
 * each (or a block ending with "end") on standard output.
 */
public final class ChildEssaimMain {
    private ChildEssaimMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err); // the server's own output must not mix with the replies
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            String value = args[i].substring(equals + 1);
            // ports as numbers, as EssaimInstance keeps them
            properties.put(args[i].substring(0, equals), value.matches("\\d{1,5}") ? Integer.valueOf(value) : value);
        }
        EssaimInstance essaim;
        try {
            essaim = EssaimInstance.start(Path.of(args[0]), properties);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] words = line.trim().split(" ");
            try {
                switch (words[0]) {
                    case "account" -> {
                        String password = line.trim().substring(line.trim().indexOf(words[1]) + words[1].length() + 1);
                        essaim.bean(MailServerBridge.class).createAccount(words[1], password);
                        out.println("ok");
                    }
                    case "key" -> {
                        essaim.publishKey(words[1], Base64.getDecoder().decode(words[2]));
                        out.println("ok");
                    }
                    case "dkim" -> {
                        for (DkimKey key : essaim.bean(DkimKeys.class).keys(words[1])) {
                            out.println(key.recordName() + " " + key.recordValue());
                        }
                        out.println("end");
                    }
                    case "queue" -> out.println(essaim.bean(MailServerBridge.class).queueSize());
                    case "messages" -> { // how many messages an account holds, all its folders together
                        MailServerBridge mail = essaim.bean(MailServerBridge.class);
                        out.println(essaim.bean(org.essaim.mailserver.MailboxTransfer.class).folders(words[1]).stream()
                                .mapToInt(folder -> mail.folderMessages(words[1], folder, 10_000).size()).sum());
                    }
                    case "waiting" -> { // one line per waiting message: name, sender, domains, attempts, last error
                        for (org.essaim.delivery.outbound.WaitingMail mail : essaim.bean(MailServerBridge.class).waitingMail()) {
                            out.println(String.join("\t", mail.name(), mail.sender(), String.join(",", mail.recipientDomains()),
                                    Integer.toString(mail.attempts()), mail.lastError().orElse("").replaceAll("\\s+", " ")));
                        }
                        out.println("end");
                    }
                    case "retry" -> out.println(essaim.bean(MailServerBridge.class).retryWaitingMail(words[1]) ? "ok" : "gone");
                    case "admin-delete-waiting" -> { // as governance carries out the signed statement
                        essaim.bean(org.essaim.admin.AdminActions.class)
                                .execute(words[1], new org.essaim.admin.AdminAction.DeleteWaitingMail(words[2]));
                        out.println("ok");
                    }
                    case "stop" -> {
                        essaim.stop();
                        out.println("ok");
                        System.exit(0);
                    }
                    default -> out.println("error unknown command " + words[0]);
                }
            } catch (RuntimeException e) {
                out.println("error " + causes(e)); // one line, ending the reply (see ChildEssaim.ask and block)
            }
        }
        essaim.stop();
        System.exit(0);
    }

    /** "A: x; caused by B: y": the wrapper alone ("Cannot list the mail queue") does not say what went wrong. */
    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            text.append("; caused by ").append(cause);
        }
        return text.toString().replaceAll("\\s+", " ");
    }
}
