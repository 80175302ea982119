package org.locasbench.harness.metrics;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The Porter stemmer as NLTK's {@code PorterStemmer()} runs it (mode NLTK_EXTENSIONS, the default), which LoCoMo's
 * evaluation uses: Porter (1980) with Martin Porter's later changes and NLTK's extensions (irregular forms, short-word
 * rules, 'ies'/'ied' of four letters, 'alli' before the other step-2 rules, 'fulli', 'logi'). Input is lower-cased.
 */
public final class PorterStemmer {
    private static final Map<String, String> IRREGULAR = Map.ofEntries(
            Map.entry("sky", "sky"), Map.entry("skies", "sky"), Map.entry("dying", "die"), Map.entry("lying", "lie"),
            Map.entry("tying", "tie"), Map.entry("news", "news"), Map.entry("innings", "inning"),
            Map.entry("inning", "inning"), Map.entry("outings", "outing"), Map.entry("outing", "outing"),
            Map.entry("cannings", "canning"), Map.entry("canning", "canning"), Map.entry("howe", "howe"),
            Map.entry("proceed", "proceed"), Map.entry("exceed", "exceed"), Map.entry("succeed", "succeed"));

    /** A suffix rule: replace {@code suffix} by {@code replacement} if the condition holds for the stem. */
    private record Rule(String suffix, String replacement, Predicate<String> condition) {}

    public String stem(String word) {
        String stem = word.toLowerCase(java.util.Locale.ROOT);
        if (IRREGULAR.containsKey(word)) {
            return IRREGULAR.get(stem);
        }
        if (word.length() <= 2) {
            return stem;
        }
        stem = step1a(stem);
        stem = step1b(stem);
        stem = step1c(stem);
        stem = step2(stem);
        stem = step3(stem);
        stem = step4(stem);
        stem = step5a(stem);
        return step5b(stem);
    }

    static boolean isConsonant(String w, int i) {
        char c = w.charAt(i);
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') {
            return false;
        }
        if (c == 'y') {
            return i == 0 || !isConsonant(w, i - 1);
        }
        return true;
    }

    /** m: the number of vowel-consonant transitions ('vc' in the c/v pattern). */
    static int measure(String stem) {
        int m = 0;
        for (int i = 1; i < stem.length(); i++) {
            if (!isConsonant(stem, i - 1) && isConsonant(stem, i)) {
                m++;
            }
        }
        return m;
    }

    private static boolean positiveMeasure(String stem) {
        return measure(stem) > 0;
    }

    private static boolean containsVowel(String stem) {
        for (int i = 0; i < stem.length(); i++) {
            if (!isConsonant(stem, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsDoubleConsonant(String w) {
        int n = w.length();
        return n >= 2 && w.charAt(n - 1) == w.charAt(n - 2) && isConsonant(w, n - 1);
    }

    /** *o: ends consonant-vowel-consonant, last not w/x/y; NLTK adds two-letter vowel-consonant words. */
    private static boolean endsCvc(String w) {
        int n = w.length();
        boolean cvc = n >= 3 && isConsonant(w, n - 3) && !isConsonant(w, n - 2) && isConsonant(w, n - 1)
                && "wxy".indexOf(w.charAt(n - 1)) < 0;
        return cvc || (n == 2 && !isConsonant(w, 0) && isConsonant(w, 1));
    }

    private static String dropSuffix(String w, String suffix) {
        return w.substring(0, w.length() - suffix.length());
    }

    /** The first rule whose suffix matches decides: applied if its condition holds, else the word is kept. */
    private static String applyFirst(String word, List<Rule> rules) {
        for (Rule r : rules) {
            if (r.suffix().equals("*d")) {
                if (endsDoubleConsonant(word)) {
                    String stem = word.substring(0, word.length() - 2);
                    return r.condition() == null || r.condition().test(stem) ? stem + r.replacement() : word;
                }
                continue;
            }
            if (word.endsWith(r.suffix())) {
                String stem = dropSuffix(word, r.suffix());
                return r.condition() == null || r.condition().test(stem) ? stem + r.replacement() : word;
            }
        }
        return word;
    }

    private static String step1a(String w) {
        if (w.endsWith("ies") && w.length() == 4) {
            return dropSuffix(w, "ies") + "ie";
        }
        return applyFirst(w, List.of(new Rule("sses", "ss", null), new Rule("ies", "i", null),
                new Rule("ss", "ss", null), new Rule("s", "", null)));
    }

    private static String step1b(String w) {
        if (w.endsWith("ied")) {
            return dropSuffix(w, "ied") + (w.length() == 4 ? "ie" : "i");
        }
        if (w.endsWith("eed")) {
            String stem = dropSuffix(w, "eed");
            return measure(stem) > 0 ? stem + "ee" : w;
        }
        String stem = null;
        for (String suffix : new String[] {"ed", "ing"}) {
            if (w.endsWith(suffix) && containsVowel(dropSuffix(w, suffix))) {
                stem = dropSuffix(w, suffix);
                break;
            }
        }
        if (stem == null) {
            return w;
        }
        char last = stem.isEmpty() ? ' ' : stem.charAt(stem.length() - 1);
        return applyFirst(stem, List.of(new Rule("at", "ate", null), new Rule("bl", "ble", null),
                new Rule("iz", "ize", null), new Rule("*d", String.valueOf(last), s -> "lsz".indexOf(last) < 0),
                new Rule("", "e", s -> measure(s) == 1 && endsCvc(s))));
    }

    private static String step1c(String w) {
        return applyFirst(w, List.of(new Rule("y", "i", s -> s.length() > 1 && isConsonant(s, s.length() - 1))));
    }

    private static String step2(String w) {
        if (w.endsWith("alli") && positiveMeasure(dropSuffix(w, "alli"))) {
            return step2(dropSuffix(w, "alli") + "al");
        }
        Predicate<String> m = PorterStemmer::positiveMeasure;
        String word = w;
        return applyFirst(w, List.of(new Rule("ational", "ate", m), new Rule("tional", "tion", m),
                new Rule("enci", "ence", m), new Rule("anci", "ance", m), new Rule("izer", "ize", m),
                new Rule("bli", "ble", m), new Rule("alli", "al", m), new Rule("entli", "ent", m),
                new Rule("eli", "e", m), new Rule("ousli", "ous", m), new Rule("ization", "ize", m),
                new Rule("ation", "ate", m), new Rule("ator", "ate", m), new Rule("alism", "al", m),
                new Rule("iveness", "ive", m), new Rule("fulness", "ful", m), new Rule("ousness", "ous", m),
                new Rule("aliti", "al", m), new Rule("iviti", "ive", m), new Rule("biliti", "ble", m),
                new Rule("fulli", "ful", m),
                new Rule("logi", "log", s -> positiveMeasure(word.substring(0, word.length() - 3)))));
    }

    private static String step3(String w) {
        Predicate<String> m = PorterStemmer::positiveMeasure;
        return applyFirst(w, List.of(new Rule("icate", "ic", m), new Rule("ative", "", m), new Rule("alize", "al", m),
                new Rule("iciti", "ic", m), new Rule("ical", "ic", m), new Rule("ful", "", m), new Rule("ness", "", m)));
    }

    private static String step4(String w) {
        Predicate<String> m = s -> measure(s) > 1;
        return applyFirst(w, List.of(new Rule("al", "", m), new Rule("ance", "", m), new Rule("ence", "", m),
                new Rule("er", "", m), new Rule("ic", "", m), new Rule("able", "", m), new Rule("ible", "", m),
                new Rule("ant", "", m), new Rule("ement", "", m), new Rule("ment", "", m), new Rule("ent", "", m),
                new Rule("ion", "", s -> measure(s) > 1 && !s.isEmpty() && "st".indexOf(s.charAt(s.length() - 1)) >= 0),
                new Rule("ou", "", m), new Rule("ism", "", m), new Rule("ate", "", m), new Rule("iti", "", m),
                new Rule("ous", "", m), new Rule("ive", "", m), new Rule("ize", "", m)));
    }

    private static String step5a(String w) {
        if (w.endsWith("e")) {
            String stem = dropSuffix(w, "e");
            if (measure(stem) > 1 || (measure(stem) == 1 && !endsCvc(stem))) {
                return stem;
            }
        }
        return w;
    }

    private static String step5b(String w) {
        return applyFirst(w, List.of(new Rule("ll", "l", s -> measure(w.substring(0, w.length() - 1)) > 1)));
    }
}
