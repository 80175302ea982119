package org.locasbench.harness.data;

import java.nio.file.Path;

/** One PG-19 book listed in a manifest: its plain-text file and the sha256 that file must have. */
public record Pg19Book(String id, String title, String split, Path file, String sha256) {}
