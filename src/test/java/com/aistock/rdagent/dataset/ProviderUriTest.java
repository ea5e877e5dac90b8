package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.aistock.rdagent.config.RdAgentSamples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** New datasets default to the provider_uri of the live conf_baseline.yaml, a Jinja2 template. */
class ProviderUriTest {

    @Test
    void readsProviderUriFromRdAgentsRealTemplates() throws IOException {
        // skipped, saying why, where ../shared is absent
        Path experiment = RdAgentSamples.REAL.folder().resolve("rdagent/scenarios/qlib/experiment");
        for (String template : new String[]{"factor_template/conf_baseline.yaml",
                "model_template/conf_baseline_factors_model.yaml", "model_template/conf_sota_factors_model.yaml"}) {
            assertThat(DatasetService.providerUriOf(Files.readString(experiment.resolve(template))))
                    .as(template).isEqualTo("~/.qlib/qlib_data/cn_data");
        }
    }

    @Test
    void aTemplateWithoutProviderUriHasNone() {
        assertThat(DatasetService.providerUriOf("market: &market {{ market }}\nqlib_init:\n  region: cn\n")).isNull();
    }

    @Test
    void tildeMeansTheHomeFolderAsInQlib() {
        assertThat(QlibData.folder("~/.qlib/qlib_data/cn_data"))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".qlib/qlib_data/cn_data"));
    }
}
