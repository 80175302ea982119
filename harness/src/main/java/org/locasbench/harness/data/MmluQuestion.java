package org.locasbench.harness.data;

import java.util.List;

/** One MMLU item: question, four choices, the correct index 0-3. */
public record MmluQuestion(String subject, String question, List<String> choices, int answer) {}
