package io.jenkins.plugins.hsmsigning.engine.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rule of a profile's policy as it was applied to one request: its id ({@code job}, {@code script-origin},
 * {@code replay}, {@code repository}, {@code branch}, {@code fork}, {@code formats}, {@code timestamps},
 * {@code tsa-allow-list}), the values it compared, and the verdict. Goes into the audit record and the build's
 * report, so that anyone can see why a key was or was not used.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleCheck(String rule, Map<String, String> values, Verdict verdict, String reason) {

    /** Whether the rule let the request through. */
    public enum Verdict {
        PASSED, FAILED,
        /** The profile does not ask for this rule. */
        NOT_REQUIRED
    }

    public RuleCheck {
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static RuleCheck passed(String rule, Map<String, String> values) {
        return new RuleCheck(rule, values, Verdict.PASSED, null);
    }

    static RuleCheck notRequired(String rule, Map<String, String> values) {
        return new RuleCheck(rule, values, Verdict.NOT_REQUIRED, null);
    }

    public static RuleCheck of(String rule, Map<String, String> values, String failure) {
        return new RuleCheck(rule, values, failure == null ? Verdict.PASSED : Verdict.FAILED, failure);
    }

    public boolean failed() {
        return verdict == Verdict.FAILED;
    }

    /** {@code rule=verdict (key=value, ...)}: one line for logs. */
    public String describe() {
        StringBuilder s = new StringBuilder(rule).append('=').append(verdict.name().toLowerCase(java.util.Locale.ROOT));
        if (!values.isEmpty()) {
            s.append(" (");
            values.forEach((k, v) -> s.append(k).append('=').append(v).append(", "));
            s.setLength(s.length() - 2);
            s.append(')');
        }
        return s.toString();
    }
}
