package org.locasbench.harness.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.locasbench.model.ModelFormatException;

/**
 * MMLU as CSV files {@code <dir>/{test,dev}/<subject>_{test,dev}.csv}, in either layout: the hendrycks original (no
 * header; question, A, B, C, D, answer letter) or the cais/mmlu re-export (header
 * {@code question,choice0..3,answer} with answer 0-3). A row without exactly four choices is an error naming the line.
 */
public final class MmluDataset {
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private MmluDataset() {}

    /** Subject -> questions of one split ("test" or "dev"), subjects sorted. */
    public static TreeMap<String, List<MmluQuestion>> load(Path dir, String split) {
        Path folder = dir.resolve(split);
        if (!Files.isDirectory(folder)) {
            throw new ModelFormatException(folder, "no MMLU '" + split + "' folder; expected <dir>/" + split
                    + "/<subject>_" + split + ".csv");
        }
        TreeMap<String, List<MmluQuestion>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).sorted().toList()) {
                String name = f.getFileName().toString();
                String subject = name.substring(0, name.length() - 4).replaceAll("_" + split + "$", "");
                out.put(subject, read(f, subject));
            }
        } catch (IOException e) {
            throw new ModelFormatException(folder, "cannot list MMLU files: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new ModelFormatException(folder, "no .csv files");
        }
        if (split.equals("test")) {
            for (String subject : out.keySet()) {
                Path devFile = dir.resolve("dev").resolve(subject + "_dev.csv");
                if (!Files.isRegularFile(devFile)) {
                    throw new ModelFormatException(devFile, "missing: subject '" + subject + "' has test questions "
                            + "(test/" + subject + "_test.csv) but no dev file, which holds its k-shot examples; add "
                            + "it (hendrycks' data/dev/" + subject + "_dev.csv) or remove the subject's test file");
                }
            }
        }
        return out;
    }

    static List<MmluQuestion> read(Path file, String subject) {
        List<MmluQuestion> questions = new ArrayList<>();
        try (MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(file.toFile())) {
            int line = 0;
            while (rows.hasNext()) {
                String[] row = rows.next();
                line++;
                if (line == 1 && row.length > 0 && row[0].equals("question")) {
                    continue; // cais/mmlu header
                }
                if (row.length != 6) {
                    throw new ModelFormatException(file, "row " + line + " has " + (row.length - 2)
                            + " choices; an MMLU row is question, four choices, answer");
                }
                questions.add(new MmluQuestion(subject, row[0], List.of(row[1], row[2], row[3], row[4]),
                        answerIndex(file, line, row[5].trim())));
            }
            if (questions.isEmpty()) {
                throw new ModelFormatException(file, "holds no questions; an MMLU file has one row per question "
                        + "(question, four choices, answer): restore it or remove the subject");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFormatException m) {
                throw m;
            }
            throw new ModelFormatException(file, "not a readable MMLU CSV: " + e.getMessage(), e);
        }
        return questions;
    }

    private static int answerIndex(Path file, int line, String answer) {
        if (answer.matches("[0-3]")) {
            return Integer.parseInt(answer);
        }
        if (answer.matches("[A-D]")) {
            return answer.charAt(0) - 'A';
        }
        throw new ModelFormatException(file, "row " + line + ": answer '" + answer + "' is neither 0-3 nor A-D");
    }
}
