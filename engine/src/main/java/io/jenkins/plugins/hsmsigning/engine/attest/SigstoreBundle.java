package io.jenkins.plugins.hsmsigning.engine.attest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;

/**
 * A Sigstore bundle v0.3 holding a DSSE envelope with one signature, and as verification material the hint of the
 * public key (no certificate, no transparency-log entry, no timestamp): what key-based verifiers such as
 * {@code cosign verify-blob-attestation --key} and {@code @sigstore/verify} accept. The signer's certificate chain is
 * published beside the bundle as PEM instead, since Sigstore's v0.3 bundles carry a leaf certificate only.
 *
 * @param payloadType the DSSE payload type, {@link Dsse#IN_TOTO_PAYLOAD_TYPE} for attestations
 * @param payload     the statement's bytes, exactly as signed
 * @param keyHint     where verifiers look the key up; null when absent
 * @param signature   the signature over the payload's {@link Dsse#preAuthenticationEncoding PAE}
 */
public record SigstoreBundle(String payloadType, byte[] payload, String keyHint, byte[] signature) {

    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    private static final String MEDIA_TYPE_OLD_SPELLING = "application/vnd.dev.sigstore.bundle+json;version=0.3";

    public SigstoreBundle {
        payload = payload.clone();
        signature = signature.clone();
    }

    /** The signed payload; a copy, so that nobody can change what was verified. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public byte[] toJson() {
        ObjectNode root = Statement.JSON.createObjectNode();
        root.put("mediaType", MEDIA_TYPE);
        ObjectNode material = root.putObject("verificationMaterial");
        if (keyHint != null) {
            material.putObject("publicKey").put("hint", keyHint);
        }
        material.putArray("tlogEntries");
        ObjectNode envelope = root.putObject("dsseEnvelope");
        envelope.put("payload", Base64.getEncoder().encodeToString(payload));
        envelope.put("payloadType", payloadType);
        ObjectNode sig = envelope.putArray("signatures").addObject();
        sig.put("sig", Base64.getEncoder().encodeToString(signature));
        sig.put("keyid", keyHint == null ? "" : keyHint);
        try {
            return Statement.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** Reads a bundle made by anyone: v0.3 media type, a DSSE envelope with exactly one signature. */
    public static SigstoreBundle parse(byte[] json) throws IOException {
        JsonNode root;
        try {
            root = Statement.JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException("it is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IOException("it is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText("");
        if (!MEDIA_TYPE.equals(mediaType) && !MEDIA_TYPE_OLD_SPELLING.equals(mediaType)) {
            throw new IOException("it is not a Sigstore bundle v0.3 (mediaType " + (mediaType.isEmpty() ? "missing"
                    : "'" + mediaType + "'") + ")");
        }
        JsonNode envelope = root.path("dsseEnvelope");
        if (!envelope.isObject()) {
            throw new IOException("it holds no DSSE envelope, so it is not an attestation");
        }
        JsonNode signatures = envelope.path("signatures");
        if (!signatures.isArray() || signatures.size() != 1) {
            throw new IOException("its DSSE envelope must have exactly one signature");
        }
        String hint = root.path("verificationMaterial").path("publicKey").path("hint").asText(null);
        try {
            byte[] payload = Base64.getDecoder().decode(envelope.path("payload").asText(""));
            byte[] signature = Base64.getDecoder().decode(signatures.get(0).path("sig").asText(""));
            String payloadType = envelope.path("payloadType").asText("");
            if (payload.length == 0 || signature.length == 0) {
                throw new IOException("its DSSE envelope has no payload or no signature");
            }
            return new SigstoreBundle(payloadType, payload, hint, signature);
        } catch (IllegalArgumentException e) {
            throw new IOException("its DSSE envelope is not valid base64");
        }
    }
}
