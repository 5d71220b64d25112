package io.jenkins.plugins.hsmsigning.cli;

import io.jenkins.plugins.hsmsigning.engine.report.ReportEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's messages in hsmsign's words: the engine names settings as the Jenkins profile does ("the profile
 * requires a timestamp", "token label"), a release engineer knows them as options. Applied at the boundary, to every
 * message hsmsign prints or writes into a report, with hints for the common causes the engine cannot see.
 */
final class CliTerms {

    /** Engine phrase, then its hsmsign wording; matched literally. */
    private static final Map<String, String> PHRASES = Map.of(
            "and the profile requires a timestamp",
            "and --timestamp-required is in effect (the default; --no-timestamp-required only warns)",
            "by exactly one of token label, slot id or slot list index",
            "by exactly one of --token-label, --slot and --slot-list-index",
            "No key alias is set for", "No --key-alias is given for",
            "No PIN was given for", "No PIN was given (--pin-env or --pin-file) for",
            "The certificate chain setting holds", "The --cert-chain file holds",
            "against the trust anchors", "against the --trust roots",
            "has no key with alias '", "has no key with --key-alias '",
            "No token with label '", "No token with --token-label '");

    private static final Pattern SOFTHSM_TOKEN_MISSING = Pattern.compile(
            "No token with --token-label '[^']*' in PKCS#11 library \\S*softhsm", Pattern.CASE_INSENSITIVE);

    private final HsmSign app;

    CliTerms(HsmSign app) {
        this.app = app;
    }

    /** {@code message} with option names for setting names, and a hint where one helps. */
    String reword(String message) {
        if (message == null) {
            return null;
        }
        String reworded = message;
        for (Map.Entry<String, String> phrase : PHRASES.entrySet()) {
            reworded = reworded.replace(phrase.getKey(), phrase.getValue());
        }
        return reworded + hints(reworded);
    }

    /** Failed entries with their reason reworded; the others as they are. */
    List<ReportEntry> reword(List<ReportEntry> entries) {
        List<ReportEntry> reworded = new ArrayList<>(entries.size());
        for (ReportEntry e : entries) {
            reworded.add(e.failed() && e.reason() != null ? e.failedWith(e.failure(), reword(e.reason())) : e);
        }
        return reworded;
    }

    private String hints(String message) {
        Matcher softHsm = SOFTHSM_TOKEN_MISSING.matcher(message);
        if (softHsm.find() && app.environment("SOFTHSM2_CONF") == null) {
            return " SOFTHSM2_CONF is not set, so SoftHSM2 read its default configuration and not the one that "
                    + "knows your token: export SOFTHSM2_CONF=/path/to/softhsm2.conf.";
        }
        return "";
    }
}
