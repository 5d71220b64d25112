package io.jenkins.plugins.hsmsigning.engine.formats;

import java.nio.file.AccessDeniedException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a library says about a hostile file into a phrase fit for the middle of a one-sentence report reason:
 * one line, at most {@value #MAX} characters, no Java class names ({@code java.util.zip.ZipException: ...} becomes
 * its message), no final period. A library that says nothing yields "its structure is not what it states".
 */
public final class Reasons {

    static final int MAX = 200;

    /**
     * A fully qualified class name (two package segments at least, followed by a colon, a space, a closing
     * parenthesis or the end, so that file names such as {@code com.example.App.jar} are left alone): an exception's
     * is dropped with its colon, another keeps its simple name.
     */
    private static final Pattern QUALIFIED = Pattern.compile(
            "\\b(?:[a-z_$][\\w$]*\\.){2,}([A-Z][\\w$]*)(:\\s*|(?=[\\s),;\\]]|$))");
    /** An unqualified exception class name before its message, as some libraries write it: dropped. */
    private static final Pattern THROWABLE = Pattern.compile("\\b[A-Z][\\w$]*(?:Exception|Error):\\s*");

    private Reasons() {
    }

    /**
     * The first message along the cause chain, cleaned; a generic phrase when there is none. A denied access says so:
     * its own message is only the file's name.
     */
    public static String detail(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof AccessDeniedException denied) {
                return "permission denied (" + clean(denied.getFile()) + ")";
            }
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            String cleaned = clean(c.getMessage());
            if (!cleaned.isEmpty()) {
                return cleaned;
            }
        }
        return "its structure is not what it states";
    }

    /**
     * A whole reason made safe for a report: on one line and without Java class names, otherwise as it was (not
     * shortened, final period kept). The engine applies it to every reason it reports, whichever verifier or format
     * wrote it, so that a library's exception text never reaches a report.
     */
    public static String sentence(String text) {
        if (text == null) {
            return null;
        }
        return withoutClassNames(text).replaceAll("\\s+", " ").trim();
    }

    /** {@code text} on one line, without class names, shortened, without a final period; empty if nothing is left. */
    public static String clean(String text) {
        if (text == null) {
            return "";
        }
        String t = withoutClassNames(text).replaceAll("\\s+", " ").trim();
        if (t.length() > MAX) {
            t = t.substring(0, MAX) + "...";
        }
        while (t.endsWith(".") && !t.endsWith("...")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static String withoutClassNames(String text) {
        String t = QUALIFIED.matcher(text).replaceAll(m -> {
            String simple = m.group(1);
            return simple.endsWith("Exception") || simple.endsWith("Error") ? ""
                    : Matcher.quoteReplacement(simple + m.group(2));
        });
        return THROWABLE.matcher(t).replaceAll("");
    }
}
