package io.jenkins.plugins.hsmsigning.engine.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jenkins.plugins.hsmsigning.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Everything one run signed or verified, serialised as JSON with a versioned schema (docs/signature-report.md).
 * Thread-safe: concurrent signers add to it.
 */
@JsonPropertyOrder({"schemaVersion", "generator", "context", "summary", "decisions", "entries", "approvals"})
public final class SignatureReport {

    /** Bumped on any incompatible change of the JSON form. */
    public static final int SCHEMA_VERSION = 2;
    public static final String GENERATOR = "hsm-signing";

    private final RunContext context;
    private final List<ReportEntry> entries = new ArrayList<>();
    private final List<ApprovalEntry> approvals = new ArrayList<>();
    private final List<PolicyDecision> decisions = new ArrayList<>();

    public SignatureReport(RunContext context) {
        this.context = context;
    }

    @JsonCreator
    static SignatureReport fromJson(@JsonProperty("schemaVersion") int schemaVersion,
            @JsonProperty("context") RunContext context, @JsonProperty("entries") List<ReportEntry> entries,
            @JsonProperty("approvals") List<ApprovalEntry> approvals,
            @JsonProperty("decisions") List<PolicyDecision> decisions) {
        if (schemaVersion > SCHEMA_VERSION) {
            throw new IllegalArgumentException("signature report schema " + schemaVersion
                    + " is newer than this version understands (" + SCHEMA_VERSION + ")");
        }
        SignatureReport report = new SignatureReport(context);
        if (entries != null) {
            report.addAll(entries);
        }
        if (approvals != null) {
            report.addApprovals(approvals);
        }
        if (decisions != null) {
            decisions.forEach(report::addDecision);
        }
        return report;
    }

    @JsonProperty
    public int schemaVersion() {
        return SCHEMA_VERSION;
    }

    @JsonProperty
    public String generator() {
        return GENERATOR;
    }

    @JsonProperty
    public RunContext context() {
        return context;
    }

    public synchronized void add(ReportEntry entry) {
        entries.add(entry);
    }

    public synchronized void addAll(Collection<ReportEntry> more) {
        entries.addAll(more);
    }

    @JsonProperty
    public synchronized List<ReportEntry> entries() {
        return List.copyOf(entries);
    }

    /** Approval events of the run's signing requests (docs/approvals.md), in order. */
    public synchronized void addApprovals(Collection<ApprovalEntry> more) {
        approvals.addAll(more);
    }

    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public synchronized List<ApprovalEntry> approvals() {
        return List.copyOf(approvals);
    }

    /** Records the policy decision of a signing request (allowed or not). */
    public synchronized void addDecision(PolicyDecision decision) {
        decisions.add(decision);
    }

    /** The policy decisions of the run's signing requests, in order. */
    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public synchronized List<PolicyDecision> decisions() {
        return List.copyOf(decisions);
    }

    @JsonProperty
    public Summary summary() {
        return Summary.of(entries());
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException("a signature report always serialises", e);
        }
    }

    /** Writes the JSON atomically: readers never see half a report. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, toJson().getBytes(StandardCharsets.UTF_8));
    }

    public static SignatureReport parse(String json) throws IOException {
        return Json.MAPPER.readValue(json, SignatureReport.class);
    }

    public static SignatureReport read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads a report no larger than {@code maxBytes}; a larger file is refused before it is read. */
    public static SignatureReport read(Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new IOException("the signature report " + file + " has " + size + " bytes, more than the "
                    + maxBytes + " a report may have");
        }
        return read(file);
    }

    /** Counts by outcome; {@code inspected} counts the INTACT and UNCHECKED entries of an inspection. */
    public record Summary(int signed, int verified, int failed, int warnings, int inspected) {

        public Summary(int signed, int verified, int failed, int warnings) {
            this(signed, verified, failed, warnings, 0);
        }

        public static Summary of(List<ReportEntry> entries) {
            int signed = 0;
            int verified = 0;
            int failed = 0;
            int warnings = 0;
            int inspected = 0;
            for (ReportEntry e : entries) {
                switch (e.status()) {
                    case SIGNED -> signed++;
                    case VERIFIED -> verified++;
                    case INTACT, UNCHECKED -> inspected++;
                    default -> failed++;
                }
                if (!e.warnings().isEmpty()) {
                    warnings++;
                }
            }
            return new Summary(signed, verified, failed, warnings, inspected);
        }
    }

    /**
     * The JSON mapper, made on first use: setting Jackson up takes a noticeable part of a short run's start-up, and
     * runs that write no report never need it.
     */
    private static final class Json {

        static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(SerializationFeature.INDENT_OUTPUT).build();

        private Json() {
        }
    }
}
