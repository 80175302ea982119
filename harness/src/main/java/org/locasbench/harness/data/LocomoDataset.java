package org.locasbench.harness.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.locasbench.model.JsonFields;
import org.locasbench.model.ModelFormatException;

/** Reads {@code locomo10.json} (or a slice of it): a JSON array of samples with conversation sessions and QA. */
public final class LocomoDataset {
    private LocomoDataset() {}

    public static List<LocomoConversation> load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, "not valid LoCoMo JSON: " + JsonFields.describe(e), e);
        }
        if (root == null || root.isMissingNode() || (root.isArray() && root.isEmpty())) {
            throw new ModelFormatException(file, "holds no LoCoMo samples (the file is empty" + (root != null
                    && root.isArray() ? ": []" : "") + "); point locomo.file at locomo10.json or a slice of it with at "
                    + "least one sample");
        }
        if (!root.isArray()) {
            throw new ModelFormatException(file, "expected a JSON array of LoCoMo samples, found a JSON "
                    + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<LocomoConversation> out = new ArrayList<>();
        for (JsonNode sample : root) {
            String id = required(file, sample, "sample_id", "?").asText();
            JsonNode conv = required(file, sample, "conversation", id);
            List<LocomoConversation.Session> sessions = new ArrayList<>();
            conv.fieldNames().forEachRemaining(name -> {
                if (name.matches("session_\\d+")) {
                    int index = Integer.parseInt(name.substring("session_".length()));
                    String date = required(file, conv, name + "_date_time", id).asText();
                    List<LocomoConversation.Turn> turns = new ArrayList<>();
                    for (JsonNode t : conv.get(name)) {
                        turns.add(new LocomoConversation.Turn(required(file, t, "speaker", id).asText(),
                                t.path("dia_id").asText(""), required(file, t, "text", id).asText(),
                                t.hasNonNull("blip_caption") ? t.get("blip_caption").asText() : null));
                    }
                    sessions.add(new LocomoConversation.Session(index, date, turns));
                }
            });
            sessions.sort(Comparator.comparingInt(LocomoConversation.Session::index));
            if (sessions.isEmpty()) {
                throw new ModelFormatException(file, "sample " + id + " has no session_N in 'conversation'");
            }
            List<LocomoConversation.Qa> qa = new ArrayList<>();
            JsonNode questions = required(file, sample, "qa", id);
            if (!questions.isArray() || questions.isEmpty()) {
                throw new ModelFormatException(file, "sample " + id + " has no questions ('qa' is " + questions
                        + "); LoCoMo scores answers to them, so it would give no result: restore its qa or remove "
                        + "the sample");
            }
            for (JsonNode q : questions) {
                int category = required(file, q, "category", id).asInt();
                if (category < 1 || category > 5) {
                    throw new ModelFormatException(file, "sample " + id + ": QA category " + category
                            + " is not 1-5");
                }
                String answer = q.hasNonNull("answer") ? q.get("answer").asText() : null;
                String adversarial = q.hasNonNull("adversarial_answer") ? q.get("adversarial_answer").asText() : null;
                if (answer == null && adversarial == null) {
                    throw new ModelFormatException(file, "sample " + id + ": QA '" + q.path("question").asText()
                            + "' has neither 'answer' nor 'adversarial_answer'");
                }
                List<String> evidence = new ArrayList<>();
                q.path("evidence").forEach(e -> evidence.add(e.asText()));
                qa.add(new LocomoConversation.Qa(required(file, q, "question", id).asText(), answer, adversarial,
                        category, evidence));
            }
            out.add(new LocomoConversation(id, required(file, conv, "speaker_a", id).asText(),
                    required(file, conv, "speaker_b", id).asText(), sessions, qa));
        }
        return out;
    }

    private static JsonNode required(Path file, JsonNode node, String field, String sample) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new ModelFormatException(file, "sample " + sample + ": missing field '" + field + "'");
        }
        return v;
    }
}
