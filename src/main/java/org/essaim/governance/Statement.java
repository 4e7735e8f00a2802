package org.essaim.governance;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One entry's statement in its canonical form (docs/audit.md): UTF-8 JSON, an object with exactly the members
 * {@code action, admin, parameters, previous, time}, keys sorted at every level, no whitespace outside strings,
 * every value a string, no trailing newline. It is what {@code jq -cjS} prints, so a signer can build it with jq
 * and the server can insist on it byte for byte: a statement is accepted only if re-encoding it gives exactly
 * the bytes that were signed.
 *
 * @param admin the signing admin's address, or {@value #SERVER} for the server's own entries
 */
public record Statement(String action, SortedMap<String, String> parameters, String admin, Instant time,
                        String previous) {
    public static final String SERVER = "server";
    public static final String NO_PREDECESSOR = "0".repeat(64);
    public static final int MAX_BYTES = 64 * 1024;

    private static final Set<String> MEMBERS = Set.of("action", "admin", "parameters", "previous", "time");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public Statement {
        parameters = new TreeMap<>(parameters);
        time = time.truncatedTo(ChronoUnit.SECONDS);
    }

    public static Statement of(String action, Map<String, String> parameters, String admin, Instant time,
                               String previous) {
        return new Statement(action, new TreeMap<>(parameters), admin, time, previous);
    }

    /** The exact bytes that are signed and hashed. */
    public byte[] canonicalBytes() {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"action\":").append(quote(action))
                .append(",\"admin\":").append(quote(admin))
                .append(",\"parameters\":{");
        boolean first = true;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (!first) {
                json.append(',');
            }
            first = false;
            json.append(quote(parameter.getKey())).append(':').append(quote(parameter.getValue()));
        }
        json.append("},\"previous\":").append(quote(previous))
                .append(",\"time\":").append(quote(DateTimeFormatter.ISO_INSTANT.format(time)))
                .append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    public String canonicalText() {
        return new String(canonicalBytes(), StandardCharsets.UTF_8);
    }

    /**
     * Reads a statement and insists that {@code bytes} are its canonical form.
     *
     * @throws StatementException with a message that says what to fix
     */
    public static Statement parse(byte[] bytes) throws StatementException {
        if (bytes == null || bytes.length == 0) {
            throw new StatementException("No statement was sent.");
        }
        if (bytes.length > MAX_BYTES) {
            throw new StatementException("The statement is larger than 64 KiB.");
        }
        String text = strictUtf8(bytes);
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new StatementException("The statement is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new StatementException("The statement must be a JSON object.");
        }
        Set<String> names = new java.util.TreeSet<>();
        root.fieldNames().forEachRemaining(names::add);
        if (!names.equals(MEMBERS)) {
            throw new StatementException("The statement must have exactly the members " + MEMBERS.stream().sorted().toList()
                    + "; it has " + names + ".");
        }
        String action = string(root, "action");
        if (!ACTION.matcher(action).matches()) {
            throw new StatementException("\"action\" must be an action name such as account.disable.");
        }
        String admin = string(root, "admin");
        String time = string(root, "time");
        if (!TIME.matcher(time).matches()) {
            throw new StatementException("\"time\" must be UTC to the second, e.g. 2026-11-25T10:00:00Z "
                    + "(date -u +%Y-%m-%dT%H:%M:%SZ).");
        }
        Instant instant;
        try {
            instant = Instant.parse(time);
        } catch (DateTimeParseException e) {
            throw new StatementException("\"time\" is not a valid date and time.");
        }
        String previous = string(root, "previous");
        if (!HASH.matcher(previous).matches()) {
            throw new StatementException("\"previous\" must be the hash of the log's last entry: 64 lower-case hex digits.");
        }
        JsonNode parametersNode = root.get("parameters");
        if (!parametersNode.isObject()) {
            throw new StatementException("\"parameters\" must be an object of strings.");
        }
        SortedMap<String, String> parameters = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = parametersNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> parameter = it.next();
            if (!KEY.matcher(parameter.getKey()).matches()) {
                throw new StatementException("Parameter name \"" + parameter.getKey() + "\" is not allowed.");
            }
            if (!parameter.getValue().isTextual()) {
                throw new StatementException("Parameter \"" + parameter.getKey() + "\" must be a string.");
            }
            parameters.put(parameter.getKey(), checked(parameter.getValue().asText(), parameter.getKey()));
        }
        Statement statement = new Statement(action, parameters, checked(admin, "admin"), instant, previous);
        if (!java.util.Arrays.equals(statement.canonicalBytes(), bytes)) {
            throw new StatementException("The statement is not in canonical form (sorted keys, no spaces or "
                    + "newlines, no trailing newline; build it with jq -cjS). Its canonical form is: "
                    + statement.canonicalText());
        }
        return statement;
    }

    private static String string(JsonNode root, String name) throws StatementException {
        JsonNode node = root.get(name);
        if (!node.isTextual()) {
            throw new StatementException("\"" + name + "\" must be a string.");
        }
        return node.asText();
    }

    /** Control characters would need escapes that tools write differently; statements never need them. */
    private static String checked(String value, String name) throws StatementException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new StatementException("\"" + name + "\" contains a control character.");
            }
        }
        return value;
    }

    private static String strictUtf8(byte[] bytes) throws StatementException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new StatementException("The statement is not valid UTF-8.");
        }
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }
}
