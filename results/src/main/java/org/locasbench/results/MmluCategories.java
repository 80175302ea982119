package org.locasbench.results;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MMLU's standard subject categories: each of the 57 subjects belongs to STEM, humanities, social sciences or other
 * (the groups lm-eval reports, from Hendrycks et al.). The mapping is the resource {@code mmlu-subject-categories.tsv}
 * next to this class, which names its source.
 */
public final class MmluCategories {
    public static final String STEM = "stem";
    public static final String HUMANITIES = "humanities";
    public static final String SOCIAL_SCIENCES = "social_sciences";
    public static final String OTHER = "other";
    /** In lm-eval's report order. */
    public static final List<String> GROUPS = List.of(STEM, HUMANITIES, SOCIAL_SCIENCES, OTHER);

    private static final Map<String, String> BY_SUBJECT = load();

    private MmluCategories() {}

    /** Subject (as in the data files, {@code high_school_geography}) to its category, the 57 of them. */
    public static Map<String, String> bySubject() {
        return BY_SUBJECT;
    }

    /** The category of a subject, or null for a subject that is not one of MMLU's 57. */
    public static String groupOf(String subject) {
        return BY_SUBJECT.get(subject);
    }

    /** For display: STEM, humanities, social sciences, other. */
    public static String label(String group) {
        return group.equals(STEM) ? "STEM" : group.replace('_', ' ');
    }

    private static Map<String, String> load() {
        String name = "mmlu-subject-categories.tsv";
        try (InputStream in = MmluCategories.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the results jar");
            }
            Map<String, String> out = new LinkedHashMap<>();
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 2 || !GROUPS.contains(f[1])) {
                    throw new IllegalStateException(name + ":" + (i + 1) + ": expected subject<TAB>category, one of "
                            + GROUPS + ", got '" + line + "'");
                }
                out.put(f[0], f[1]);
            }
            return Collections.unmodifiableMap(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
