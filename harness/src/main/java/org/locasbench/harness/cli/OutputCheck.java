package org.locasbench.harness.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Every output location of a command, checked when the command starts, before a model is loaded: a parent that is a
 * file, a file expected where a directory exists (or the reverse), a non-empty directory where a new one goes, and a
 * location nothing can be written in (permissions, a read-only file system) are one error naming the option, in the
 * first second rather than after the work. Writability is probed by creating and deleting a file in the nearest
 * existing directory, which also holds for root and for read-only mounts.
 */
final class OutputCheck {
    private final Map<Path, String> seen = new HashMap<>();

    /** A file the command writes (replaced when it exists): not a directory, in a writable place. */
    OutputCheck file(String option, Path file) {
        if (file == null) {
            return this;
        }
        distinct(option, file);
        if (Files.isDirectory(file)) {
            throw refused(option, file, "is an existing directory, but a file is written there; name a file, e.g. "
                    + file.resolve("out.json"));
        }
        writableParent(option, file);
        return this;
    }

    /** A directory the command creates as one unit: absent or empty, in a writable place. */
    OutputCheck newDirectory(String option, Path dir) {
        if (dir == null) {
            return this;
        }
        distinct(option, dir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw refused(option, dir, "is an existing file, but a directory is written there; choose a new path");
        }
        if (Files.isDirectory(dir) && hasEntries(option, dir)) {
            throw refused(option, dir, "exists and is not empty; choose a new " + option + " or delete it");
        }
        writableParent(option, dir);
        return this;
    }

    /** A directory the command writes files into (created when absent): not a file, writable. */
    OutputCheck directory(String option, Path dir) {
        if (dir == null) {
            return this;
        }
        distinct(option, dir);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw refused(option, dir, "is an existing file, but files are written into it as a directory; choose "
                    + "a directory");
        }
        if (Files.isDirectory(dir)) {
            probe(option, dir, dir);
        } else {
            writableParent(option, dir);
        }
        return this;
    }

    /** Two options naming one location would overwrite each other. */
    private void distinct(String option, Path p) {
        String other = seen.putIfAbsent(p.toAbsolutePath().normalize(), option);
        if (other != null) {
            throw refused(option, p, "is also given as " + other + "; the two outputs would overwrite each other: "
                    + "give each its own path");
        }
    }

    /** The nearest existing ancestor must be a directory one can create files in. */
    private static void writableParent(String option, Path target) {
        Path dir = target.toAbsolutePath().normalize().getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw refused(option, target, "has no existing parent directory");
        }
        if (!Files.isDirectory(dir)) {
            throw refused(option, target, "lies under " + dir + ", which is a file, not a directory; choose a path "
                    + "outside it");
        }
        probe(option, target, dir);
    }

    private static void probe(String option, Path target, Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, ".locas-write-check-", ".tmp"));
        } catch (IOException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getClass().getSimpleName();
            throw refused(option, target, "cannot be written: creating a file in " + dir + " fails (" + reason
                    + "); choose a writable location");
        }
    }

    private static boolean hasEntries(String option, Path dir) {
        try (var s = Files.list(dir)) {
            return s.findAny().isPresent();
        } catch (IOException e) {
            throw refused(option, dir, "cannot be listed (" + e.getMessage() + ")");
        }
    }

    private static IllegalArgumentException refused(String option, Path p, String why) {
        return new IllegalArgumentException(option + " " + p + ": " + why);
    }
}
