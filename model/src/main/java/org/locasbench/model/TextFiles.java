package org.locasbench.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Text files read strictly as UTF-8: a byte that is not UTF-8 is an error naming the file and its offset. */
public final class TextFiles {
    private TextFiles() {}

    public static String readUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file, "file not found");
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read (" + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName()) + ")", e);
        }
        return decodeUtf8(bytes, file);
    }

    /**
     * {@code bytes} as UTF-8, or an error "not UTF-8 (invalid byte 0xE9 at offset 1234)" instead of the JDK's "Input
     * length = 1" or a silent U+FFFD.
     */
    public static String decodeUtf8(byte[] bytes, Path file) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            throw new ModelFormatException(file, String.format("not UTF-8 (invalid byte 0x%02X at offset %d); "
                    + "convert it to UTF-8 first, e.g. iconv -f latin1 -t utf-8", bytes[at] & 0xff, at));
        }
        return out.flip().toString();
    }
}
