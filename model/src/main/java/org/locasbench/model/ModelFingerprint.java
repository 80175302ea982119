package org.locasbench.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A cheap identity of a model directory: sha256 over config.json and the headers (names, dtypes, shapes, offsets) of
 * its safetensors files. Memory and adapter files record it so a mismatch with the base model can be reported.
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    public static String of(Path modelDir) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Files.readAllBytes(modelDir.resolve("config.json")));
            List<Path> weights;
            try (Stream<Path> files = Files.list(modelDir)) {
                weights = files.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            }
            for (Path w : weights) {
                try (InputStream in = Files.newInputStream(w)) {
                    byte[] len = in.readNBytes(8);
                    long headerLength = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    md.update(len);
                    md.update(in.readNBytes((int) Math.min(headerLength, 100L << 20)));
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ModelFormatException(modelDir, "cannot fingerprint the model: " + e.getMessage(), e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
