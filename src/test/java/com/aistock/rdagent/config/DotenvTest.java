package com.aistock.rdagent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.RequiredTools;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The .env parser and writer: faithful to python-dotenv, and invisible when nothing changes. */
class DotenvTest {

    private static final String SAMPLE = """
            # LLM
            export CHAT_MODEL='gpt-4o'   # the chat model
            OPENAI_API_KEY="sk-secret-1"
            OPENAI_API_BASE=https://example.com/v1 # inline
            MULTI="line one
            line two"
            ESCAPED="tab\\there \\"quoted\\" back\\\\slash"
            EMPTY=
            # OLD_API_KEY=sk-commented-out
            not a statement at all
            BARE
            """;

    @ParameterizedTest
    @EnumSource(RdAgentSamples.class)
    void anUneditedFileRoundTripsByteForByte(RdAgentSamples samples) throws IOException {
        byte[] original = Files.readAllBytes(samples.env());

        assertThat(Dotenv.parse(new String(original, StandardCharsets.UTF_8)).text().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(original);
    }

    @Test
    void theRealEnvExampleReadsAsPythonDotenvReadsIt() throws IOException {
        Dotenv env = Dotenv.parse(Files.readString(RdAgentSamples.REAL.env()));

        assertThat(env.entries()).extracting(Dotenv.Entry::key).containsExactly("MAX_RETRY", "RETRY_WAIT_SECONDS",
                "OPENAI_API_KEY", "OPENAI_API_BASE", "CHAT_MODEL", "LITELLM_PROXY_API_KEY", "LITELLM_PROXY_API_BASE",
                "EMBEDDING_MODEL");
        assertThat(env.get("CHAT_MODEL")).contains("gpt-4o");
        assertThat(env.get("OPENAI_API_KEY")).contains("sk-chat-key");
        assertThat(env.entries().get(2).comment()).isEqualTo("2. Set separate API KEY\nChat configuration");
    }

    @ParameterizedTest
    @EnumSource(RdAgentSamples.class)
    void valuesMatchPythonDotenvWhereItIsInstalled(RdAgentSamples samples, @TempDir Path temp) throws Exception {
        Path sample = Files.writeString(temp.resolve("sample.env"), SAMPLE);
        for (Path file : List.of(samples.env(), sample)) {
            Map<String, String> ours = new LinkedHashMap<>();
            Dotenv.parse(Files.readString(file)).entries().forEach(e -> ours.put(e.key(), e.value()));

            assertThat(ours).as(file.toString()).isEqualTo(pythonDotenv(file));
        }
    }

    @Test
    void settingAValueKeepsEverythingElse() {
        Dotenv env = Dotenv.parse(SAMPLE);

        env.set("CHAT_MODEL", "o1-preview");
        env.set("OPENAI_API_BASE", "http://localhost:4000/v1");
        env.set("NEW_KEY_A", "plain");
        env.set("NEW_B", "needs quoting # here");

        assertThat(env.text()).isEqualTo(SAMPLE
                .replace("export CHAT_MODEL='gpt-4o'   # the chat model", "export CHAT_MODEL='o1-preview'   # the chat model")
                .replace("OPENAI_API_BASE=https://example.com/v1 # inline", "OPENAI_API_BASE=http://localhost:4000/v1 # inline")
                + "NEW_KEY_A=plain\nNEW_B=\"needs quoting # here\"\n");
        assertThat(Dotenv.parse(env.text()).get("NEW_B")).contains("needs quoting # here");
        assertThat(env.entries().get(0)).isEqualTo(new Dotenv.Entry("CHAT_MODEL", "o1-preview", "the chat model"));
    }

    @Test
    void escapesAndLineBreaksSurviveAWriteAndARead() {
        Dotenv env = Dotenv.parse(SAMPLE);
        assertThat(env.get("ESCAPED")).contains("tab\there \"quoted\" back\\slash");
        assertThat(env.get("MULTI")).contains("line one\nline two");

        env.set("MULTI", "a \"b\"\nc\\d");

        assertThat(Dotenv.parse(env.text()).get("MULTI")).contains("a \"b\"\nc\\d");
    }

    @Test
    void removingAKeyTakesOutOnlyItsLine() {
        Dotenv env = Dotenv.parse("A=1\n# about B\nB=2\nC=3");

        env.remove("B");
        env.set("D", "4");

        assertThat(env.text()).isEqualTo("A=1\n# about B\nC=3\nD=4\n");
    }

    @Test
    void masksSecretsEverywhereIncludingCommentsAndMultiLineValues() {
        String masked = Dotenv.parse(SAMPLE + "PASSWORD_TWO='x\ny'\n").masked();

        assertThat(masked)
                .contains("OPENAI_API_KEY=******\n", "# OLD_API_KEY=******\n", "PASSWORD_TWO=******\n")
                .contains("export CHAT_MODEL='gpt-4o'")
                .doesNotContain("sk-secret-1", "sk-commented-out", "x\ny");
    }

    @Test
    void crlfFilesStayCrlf() {
        Dotenv env = Dotenv.parse("A=1\r\nB=2\r\n");

        env.set("C", "3");

        assertThat(env.text()).isEqualTo("A=1\r\nB=2\r\nC=3\r\n");
    }

    /** The values python-dotenv itself loads (no interpolation). */
    private static Map<String, String> pythonDotenv(Path file) throws Exception {
        RequiredTools.pythonModules("dotenv");
        Path out = Files.createTempFile("dotenv", ".json");
        Path err = Files.createTempFile("dotenv", ".err");
        try {
            Process process = new ProcessBuilder(RequiredTools.PYTHON, "-c", """
                    import json, sys
                    from dotenv import dotenv_values
                    values = dotenv_values(sys.argv[1], interpolate=False)
                    print(json.dumps({k: v for k, v in values.items() if v is not None}))
                    """, file.toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("python-dotenv answers").isTrue();
            assertThat(process.exitValue()).as(Files.readString(err)).isZero();
            return new ObjectMapper().readValue(Files.readString(out), new TypeReference<LinkedHashMap<String, String>>() {
            });
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
