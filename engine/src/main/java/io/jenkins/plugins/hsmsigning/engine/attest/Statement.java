package io.jenkins.plugins.hsmsigning.engine.attest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-toto Statement v1: the subjects (artifacts by name and SHA-256), the predicate's type and the predicate.
 * This is the DSSE payload; its JSON is compact, with {@code _type}, {@code subject}, {@code predicateType} and
 * {@code predicate} in that order.
 */
public record Statement(List<Subject> subjects, String predicateType, JsonNode predicate) {

    public static final String TYPE = "https://in-toto.io/Statement/v1";

    /**
     * Refuses duplicate keys: a signed statement must mean one thing to every parser, and parsers disagree on which
     * of two {@code subject} fields counts.
     */
    static final ObjectMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    public Statement {
        subjects = List.copyOf(subjects);
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("_type", TYPE);
        ArrayNode subject = root.putArray("subject");
        for (Subject s : subjects) {
            ObjectNode entry = subject.addObject();
            entry.put("name", s.name());
            entry.putObject("digest").put("sha256", s.sha256());
        }
        root.put("predicateType", predicateType);
        root.set("predicate", predicate);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /**
     * Reads a statement as a verifier must: {@code _type} must be in-toto's v1, and every subject needs a name and
     * a SHA-256 digest (subjects digested otherwise cannot be checked against files, so they are refused).
     */
    public static Statement parse(byte[] json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("it is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new IOException("the payload is not a JSON object");
        }
        if (!TYPE.equals(root.path("_type").asText(null))) {
            throw new IOException("the payload is not an in-toto statement v1 (_type is "
                    + root.path("_type").asText("missing") + ")");
        }
        JsonNode subjectArray = root.path("subject");
        if (!subjectArray.isArray() || subjectArray.isEmpty()) {
            throw new IOException("the statement has no subject");
        }
        List<Subject> subjects = new ArrayList<>();
        for (JsonNode s : subjectArray) {
            String name = s.path("name").asText(null);
            String sha256 = s.path("digest").path("sha256").asText(null);
            if (name == null || sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
                throw new IOException("a subject has no name or no SHA-256 digest");
            }
            subjects.add(new Subject(name, sha256));
        }
        String predicateType = root.path("predicateType").asText(null);
        if (predicateType == null) {
            throw new IOException("the statement has no predicateType");
        }
        return new Statement(subjects, predicateType, root.path("predicate"));
    }
}
