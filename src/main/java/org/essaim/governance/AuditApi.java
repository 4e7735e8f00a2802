package org.essaim.governance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The audit log over HTTP (docs/audit.md).
 * <ul>
 * <li>{@code POST /api/admin/actions}: a signed statement, as JSON {@code {"statement": "...", "signature": "..."}}
 * or multipart with parts {@code statement} and {@code signature} ({@code curl -F statement=@s.json -F
 * signature=@s.json.asc}); by an authenticated admin (session or HTTP Basic).</li>
 * <li>{@code GET /api/audit?after=SEQ&limit=N}: entries as JSON lines, oldest first.</li>
 * <li>{@code GET /api/audit/head}: the hash the next statement must name as {@code previous}.</li>
 * <li>{@code GET /api/audit/keys/FINGERPRINT}: a signer's certificate as it was when their entries were accepted.</li>
 * <li>{@code GET /api/audit/refusals?after=ID&limit=N}: refused statements, as JSON lines.</li>
 * </ul>
 * Reading is for members, or for anyone with {@code essaim.audit.public=true} (security/ApiSecurity).
 */
@RestController
class AuditApi {
    static final MediaType JSON_LINES = MediaType.parseMediaType("application/x-ndjson;charset=UTF-8");
    private static final int MAX_BODY = 128 * 1024;
    private static final int MAX_LIMIT = 1000;

    private final SignedAdminActions signedActions;
    private final AuditLog log;
    private final ObjectMapper json;

    AuditApi(SignedAdminActions signedActions, AuditLog log, ObjectMapper json) {
        this.signedActions = signedActions;
        this.log = log;
        this.json = json;
    }

    @PostMapping("/api/admin/actions")
    ResponseEntity<Object> submit(Authentication account, HttpServletRequest request) throws IOException {
        byte[] statement;
        byte[] signature;
        String contentType = request.getContentType() == null ? "" : request.getContentType();
        try {
            if (contentType.startsWith(MediaType.MULTIPART_FORM_DATA_VALUE)) {
                statement = part(request, "statement");
                signature = part(request, "signature");
            } else {
                JsonNode body;
                try (InputStream in = request.getInputStream()) {
                    body = json.readTree(in.readNBytes(MAX_BODY));
                }
                if (body == null || !body.path("statement").isTextual() || !body.path("signature").isTextual()) {
                    return error(HttpStatus.BAD_REQUEST, "MALFORMED", "Send {\"statement\": \"...\", \"signature\": "
                            + "\"...\"} as JSON, or multipart parts statement and signature.");
                }
                statement = body.get("statement").asText().getBytes(StandardCharsets.UTF_8);
                signature = body.get("signature").asText().getBytes(StandardCharsets.UTF_8);
            }
        } catch (IOException | ServletException | IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "MALFORMED", "The request could not be read: send the statement "
                    + "and its signature as JSON or multipart (docs/audit.md).");
        }
        try {
            SignedAdminActions.Accepted accepted = signedActions.submit(account.getName(), statement, signature);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("seq", accepted.entry().seq());
            body.put("hash", accepted.entry().hash());
            body.put("head", accepted.head());
            accepted.invitationToken().ifPresent(token -> body.put("invitationToken", token));
            return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON).body(body);
        } catch (RefusedStatementException refused) {
            return error(HttpStatus.valueOf(refused.status()), refused.reason().name(), refused.getMessage());
        }
    }

    @GetMapping("/api/audit")
    ResponseEntity<String> entries(@RequestParam(defaultValue = "0") long after,
                                   @RequestParam(defaultValue = "100") int limit) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (AuditEntry entry : log.page(after, Math.max(1, Math.min(limit, MAX_LIMIT)))) {
            lines.append(json.writeValueAsString(line(entry))).append('\n');
        }
        return ResponseEntity.ok().contentType(JSON_LINES).body(lines.toString());
    }

    @GetMapping("/api/audit/head")
    ResponseEntity<Object> head() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("seq", log.head().map(AuditEntry::seq).orElse(0L));
        body.put("hash", log.headHash());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    @GetMapping("/api/audit/keys/{fingerprint}")
    ResponseEntity<Object> signerKey(@PathVariable String fingerprint) {
        return log.signerKey(fingerprint.toUpperCase(java.util.Locale.ROOT))
                .<ResponseEntity<Object>>map(armored -> ResponseEntity.ok()
                        .contentType(MediaType.parseMediaType("application/pgp-keys"))
                        .body(armored.getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> error(HttpStatus.NOT_FOUND, "NOT_FOUND", "No signer key " + fingerprint + " in the log."));
    }

    @GetMapping("/api/audit/refusals")
    ResponseEntity<String> refusals(@RequestParam(defaultValue = "0") long after,
                                    @RequestParam(defaultValue = "100") int limit) throws IOException {
        StringBuilder lines = new StringBuilder();
        List<AuditLog.Refusal> refusals = log.refusals(after, Math.max(1, Math.min(limit, MAX_LIMIT)));
        for (AuditLog.Refusal refusal : refusals) {
            lines.append(json.writeValueAsString(refusal)).append('\n');
        }
        return ResponseEntity.ok().contentType(JSON_LINES).body(lines.toString());
    }

    /** One line of GET /api/audit; the field names are documented in docs/audit.md. */
    static Map<String, Object> line(AuditEntry entry) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("seq", entry.seq());
        line.put("kind", entry.kind().name());
        line.put("hash", entry.hash());
        line.put("statement", entry.statementText());
        line.put("signature", entry.signature());
        line.put("signer", entry.signerFingerprint());
        return line;
    }

    private static byte[] part(HttpServletRequest request, String name) throws IOException, ServletException {
        Part part = request.getPart(name);
        if (part == null) {
            throw new IllegalArgumentException("missing part " + name);
        }
        try (InputStream in = part.getInputStream()) {
            return in.readNBytes(MAX_BODY);
        }
    }

    private static ResponseEntity<Object> error(HttpStatus status, String reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("reason", reason);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
