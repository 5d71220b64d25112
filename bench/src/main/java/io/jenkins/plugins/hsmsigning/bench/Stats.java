package io.jenkins.plugins.hsmsigning.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and min–max of a few repetitions. */
final class Stats {

    private final List<Double> values;

    Stats(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        this.values = sorted;
    }

    boolean empty() {
        return values.isEmpty();
    }

    int count() {
        return values.size();
    }

    double median() {
        int n = values.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    double min() {
        return values.isEmpty() ? Double.NaN : values.get(0);
    }

    double max() {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    /** {@code 2.41 (2.30–2.55)}; a single value alone; "—" when there is none. */
    String format(String pattern) {
        if (values.isEmpty()) {
            return "—";
        }
        String median = String.format(Locale.ROOT, pattern, median());
        if (values.size() == 1) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, pattern, min()) + "–"
                + String.format(Locale.ROOT, pattern, max()) + ")";
    }
}
