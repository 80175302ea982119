package org.locasbench.harness.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.locasbench.harness.ttt.NonFiniteLossException;
import org.locasbench.model.ModelFormatException;

/**
 * What the command line prints for a failure: which throwables are the user's to fix (exit 2, one line, no trace) and
 * how any message becomes one line (parser locations and native backtraces folded in, a null message named by its
 * class).
 */
final class ErrorLines {
    private ErrorLines() {}

    /**
     * The throwable the user can act on: bad input (a file or field: {@link ModelFormatException},
     * {@link IllegalArgumentException}), training or scoring that diverged ({@link NonFiniteLossException}, a
     * non-finite metric: {@link FiniteResults.NonFiniteResultException}) or a location the
     * file system refused ({@link FileSystemException}). Looks through plain wrappers (an executor's
     * ExecutionException, a bare RuntimeException around a cause), not through exceptions that say something of their
     * own, so a bug deep inside a library keeps its stack trace.
     */
    static Optional<Throwable> userError(Throwable t) {
        for (Throwable x = t; x != null; x = x.getCause()) {
            if (x instanceof ModelFormatException || x instanceof IllegalArgumentException
                    || x instanceof NonFiniteLossException || x instanceof FiniteResults.NonFiniteResultException
                    || x instanceof FileSystemException) {
                return Optional.of(x);
            }
            if (!isWrapper(x)) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isWrapper(Throwable x) {
        return x instanceof ExecutionException || x instanceof CompletionException
                || x instanceof java.lang.reflect.InvocationTargetException
                || (x.getClass() == RuntimeException.class && x.getCause() != null
                        && (x.getMessage() == null || x.getMessage().equals(x.getCause().toString())));
    }

    /** The message as one line; a file system error as "FILE: what happened; check ...". */
    static String message(Throwable t) {
        if (t instanceof FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason() : reasonOf(f);
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + reason
                    + "; check the path and its permissions, or choose another location";
        }
        return oneLine(t.getMessage() != null ? t.getMessage() : t.getClass().getName());
    }

    /** The first line of a bug's message (the stack trace that follows has the rest); a null message by class. */
    static String firstLine(Throwable t) {
        String m = t.getMessage() != null && !t.getMessage().isBlank() ? t.getMessage() : t.getClass().getName();
        return m.strip().lines().findFirst().orElse(m);
    }

    private static String reasonOf(FileSystemException f) {
        if (f instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (f instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return f.getClass().getSimpleName();
    }

    /** Newlines and the indentation after them become single spaces (Jackson's "at [Source: ...]", native frames). */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
