package io.jenkins.plugins.hsmsigning.engine.profile;

import io.jenkins.plugins.hsmsigning.engine.audit.AuditLog;
import io.jenkins.plugins.hsmsigning.engine.audit.AuditRecord;
import io.jenkins.plugins.hsmsigning.engine.policy.NamePattern;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * One page of the audit log as an administrator asks for it (typically from query parameters): records of one
 * profile, of jobs matching a name or pattern ({@code team/**}), newest first, a bounded number per page.
 *
 * @param profile  a profile id, exactly; null for every profile
 * @param job      a job full name or {@link NamePattern}; null for every job
 * @param page     1 for the newest records
 * @param pageSize records per page, 1 to {@value #MAX_PAGE_SIZE}
 * @param from     the first day (UTC) of the records, inclusive; null for no start
 * @param to       the last day (UTC) of the records, inclusive; null for no end
 * @param result   a record's result ({@code SIGNED}, {@code FAILED}, {@code DENIED}, ...; any case); null for all
 */
public record AuditQuery(String profile, String job, int page, int pageSize, LocalDate from, LocalDate to,
        String result) {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;
    /** Pages beyond this are not offered: the log is read from its end, and that far is far enough for a page. */
    public static final int MAX_PAGE = 1000;

    public AuditQuery {
        profile = blankToNull(profile);
        job = blankToNull(job);
        page = Math.max(1, Math.min(page, MAX_PAGE));
        pageSize = Math.max(1, Math.min(pageSize, MAX_PAGE_SIZE));
        result = blankToNull(result);
    }

    /** Every record of a profile and job pattern. */
    public AuditQuery(String profile, String job, int page, int pageSize) {
        this(profile, job, page, pageSize, null, null, null);
    }

    /** From request parameters as typed; anything missing or not a number takes its default. */
    public static AuditQuery parse(String profile, String job, String page, String pageSize) {
        return parse(profile, job, page, pageSize, null, null, null);
    }

    /**
     * From request parameters as typed, with a date range ({@code yyyy-MM-dd}, UTC days, inclusive) and a result;
     * anything missing or unreadable takes its default (no limit).
     */
    public static AuditQuery parse(String profile, String job, String page, String pageSize, String from, String to,
            String result) {
        return new AuditQuery(profile, job, number(page, 1), number(pageSize, DEFAULT_PAGE_SIZE), date(from),
                date(to), result);
    }

    /** The records one page shows, and whether there are pages before and after it. */
    public record Page(AuditQuery query, List<AuditRecord> records, boolean hasNext) {

        public boolean hasPrevious() {
            return query.page() > 1;
        }

        /** The query string of the page of newer records, or null on the first page. */
        public String previousQueryString() {
            return hasPrevious() ? query.withPage(query.page() - 1).queryString() : null;
        }

        /** The query string of the page of older records, or null on the last page. */
        public String nextQueryString() {
            return hasNext ? query.withPage(query.page() + 1).queryString() : null;
        }
    }

    public Predicate<AuditRecord> filter() {
        NamePattern jobPattern = job == null ? null : NamePattern.of(job);
        Instant start = from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return r -> (profile == null || profile.equals(r.profile()))
                && (jobPattern == null || jobPattern.matches(r.job()))
                && (result == null || result.equalsIgnoreCase(r.result()))
                && (start == null || r.time() != null && !r.time().isBefore(start))
                && (end == null || r.time() != null && r.time().isBefore(end));
    }

    /**
     * Every matching record, oldest first, for a download: at most {@code limit}, the newest ones when more match.
     */
    public List<AuditRecord> readAll(AuditLog log, int limit) throws IOException {
        List<AuditRecord> records = new ArrayList<>(log.read(limit, filter()));
        Collections.reverse(records);
        return records;
    }

    /** Reads this page from {@code log}: at most {@code page * pageSize + 1} matching records from its end. */
    public Page read(AuditLog log) throws IOException {
        int end = page * pageSize;
        List<AuditRecord> upToEnd = log.read(end + 1, filter());
        int start = Math.min((page - 1) * pageSize, upToEnd.size());
        List<AuditRecord> records = new ArrayList<>(upToEnd.subList(start, Math.min(end, upToEnd.size())));
        return new Page(this, records, upToEnd.size() > end && page < MAX_PAGE);
    }

    public AuditQuery withPage(int newPage) {
        return new AuditQuery(profile, job, newPage, pageSize, from, to, result);
    }

    /** {@code ?profile=…&job=…&page=…} (URL-encoded) for a link to another page of the same query. */
    public String queryString() {
        StringBuilder q = new StringBuilder();
        append(q, "profile", profile);
        append(q, "job", job);
        append(q, "from", from == null ? null : from.toString());
        append(q, "to", to == null ? null : to.toString());
        append(q, "result", result);
        append(q, "page", String.valueOf(page));
        if (pageSize != DEFAULT_PAGE_SIZE) {
            append(q, "size", String.valueOf(pageSize));
        }
        return q.toString();
    }

    private static void append(StringBuilder q, String name, String value) {
        if (value != null) {
            q.append(q.length() == 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static int number(String text, int fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static LocalDate date(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
