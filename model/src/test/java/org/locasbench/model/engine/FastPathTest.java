package org.locasbench.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path choice as CI sees it (no native library): pure DJL unless a library is named; a named library that is
 * missing or does not load is one clear error naming the file and the fix; lever lists are parsed strictly.
 */
class FastPathTest {
    private String before;

    @BeforeEach
    void clear() {
        before = System.getProperty(FastPath.LIBRARY_PROPERTY);
        FastPath.reset();
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(FastPath.LIBRARY_PROPERTY);
        } else {
            System.setProperty(FastPath.LIBRARY_PROPERTY, before);
        }
        FastPath.reset();
    }

    @Test
    void withoutANamedLibraryThePureDjlPathRunsAndSaysSo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(before == null && System.getenv(FastPath.LIBRARY_ENV) == null,
                "skipped: a native library is named in this JVM (the GPU runner's fast-path run)");
        assertThat(FastPath.status().loaded()).isFalse();
        for (FastPath.Lever lever : FastPath.Lever.values()) {
            assertThat(FastPath.on(lever, Device.gpu())).as(lever.key()).isFalse();
        }
        assertThat(FastPath.describe(Device.cpu())).startsWith("path: pure DJL").contains(FastPath.LIBRARY_PROPERTY);
    }

    @Test
    void aNamedLibraryThatIsMissingIsAnErrorWithTheFix(@TempDir Path dir) {
        Path missing = dir.resolve("liblocasbench_native.so");
        System.setProperty(FastPath.LIBRARY_PROPERTY, missing.toString());
        assertThatThrownBy(FastPath::status).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("does not exist")
                .hasMessageContaining("native/build.sh");
    }

    @Test
    void aNamedLibraryThatDoesNotLoadIsAnErrorWithTheFix(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("liblocasbench_native.so"), "not an ELF file");
        System.setProperty(FastPath.LIBRARY_PROPERTY, broken.toString());
        assertThatThrownBy(FastPath::status).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(broken.toString()).hasMessageContaining("does not load with the libtorch")
                .hasMessageContaining("rebuild it against that libtorch");
    }

    @Test
    void aLibraryBuiltAgainstAnotherLibtorchIsRefusedNamingBoth() {
        Path lib = Path.of("/opt/lb/liblocasbench_native.so");
        FastPath.requireSameTorch("torch 2.11.0 cuda", "2.11.0+cu130", lib, "-D" + FastPath.LIBRARY_PROPERTY);
        assertThatThrownBy(() -> FastPath.requireSameTorch("torch 2.11.0 cuda", "2.7.1", lib, "LOCAS_NATIVE_LIBRARY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(lib.toString())
                .hasMessageContaining("built against torch 2.11.0 cuda").hasMessageContaining("runs libtorch 2.7.1")
                .hasMessageContaining("native/build.sh").hasMessageContaining("unset LOCAS_NATIVE_LIBRARY");
    }

    @Test
    void leverListsAreParsedStrictly() {
        assertThat(FastPath.parseLevers("all")).isEqualTo(EnumSet.allOf(FastPath.Lever.class));
        assertThat(FastPath.parseLevers(null)).isEqualTo(EnumSet.allOf(FastPath.Lever.class));
        assertThat(FastPath.parseLevers("none")).isEmpty();
        assertThat(FastPath.parseLevers("sdpa, cuda_graph"))
                .containsExactlyInAnyOrder(FastPath.Lever.SDPA, FastPath.Lever.CUDA_GRAPH);
        assertThatThrownBy(() -> FastPath.parseLevers("sdpa,flash")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'flash'").hasMessageContaining("sdpa, rms_norm, swiglu, linear_nll, fused_adamw, cuda_graph");
    }

    @Test
    void versionsCompareWithoutTheirLocalTag() {
        assertThat(FastPath.versionCore("2.11.0+cu130")).isEqualTo("2.11.0");
        assertThat(FastPath.versionCore("2.7.1")).isEqualTo("2.7.1");
    }
}
