package org.locasbench.model;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a file through a temporary sibling and an atomic rename, so a crash never leaves a file that looks complete. */
public final class AtomicFiles {
    private AtomicFiles() {}

    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                writer.writeTo(out);
            } catch (IOException e) {
                throw named(target, e);
            }
            try { // temporary files are created owner-only; outputs get the usual rw-r--r--
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @FunctionalInterface
    public interface DirectoryWriter {
        void writeInto(Path staging) throws IOException;
    }

    /**
     * Writes a directory as one unit: its files go into a hidden staging directory beside {@code target}
     * ({@code .NAME.partial-N}), which is renamed into place at the end, so an interrupted write never leaves a
     * half-filled {@code target}. A {@code target} that exists is refused unless it is an empty directory. Staging
     * directories of earlier writes of the same target that were killed before they could clean up are removed first.
     */
    public static void writeDirectory(Path target, DirectoryWriter writer) throws IOException {
        if (Files.exists(target) && (!Files.isDirectory(target) || hasEntries(target))) {
            throw new ModelFormatException(target, "output directory exists and is not empty; choose a new --out or "
                    + "delete it");
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        removeStaleStaging(parent, target.getFileName().toString());
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
        try {
            writer.writeInto(staging);
            try { // temporary directories are created owner-only; outputs get the usual rwxr-xr-x
                Files.setPosixFilePermissions(staging, java.nio.file.attribute.PosixFilePermissions.fromString(
                        "rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default
            }
            Files.deleteIfExists(target); // an empty directory: rename replaces nothing else
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(staging);
        }
    }

    /** Removes {@code .NAME.partial-N} directories in {@code parent}: what a killed write of NAME left behind. */
    static void removeStaleStaging(Path parent, String name) throws IOException {
        java.util.regex.Pattern stale = java.util.regex.Pattern.compile("\\." + java.util.regex.Pattern.quote(name)
                + "\\.partial-\\d+");
        try (java.util.stream.Stream<Path> entries = Files.list(parent)) {
            for (Path p : entries.filter(p -> stale.matcher(p.getFileName().toString()).matches()
                    && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                System.err.println("note: removing " + p + ", left by an interrupted write of " + name);
                deleteTree(p);
            }
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    /** Deletes a file tree (children first); nothing if it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A stream's write error ("No space left on device", an I/O error) names no file: name the target. Exceptions that
     * already say more (a FileSystemException, Jackson's own) pass as they are.
     */
    private static IOException named(Path target, IOException e) {
        if (e.getClass() != IOException.class) {
            return e;
        }
        FileSystemException named = new FileSystemException(target.toString(), null, e.getMessage());
        named.initCause(e);
        return named;
    }
}
