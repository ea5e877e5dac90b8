package com.aistock.rdagent.spend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.RequiredTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reader against pickles written by python3's own {@code pickle}: RD-Agent's dict in every protocol, NaN and
 * None costs, and files that are not a token_cost record, hostile ones included: nothing they ask for executes.
 */
class TokenCostPicklesTest {

    @TempDir
    Path dir;

    private Path python(String name, String script) throws IOException, InterruptedException {
        RequiredTools.pythonModules();
        Path file = dir.resolve(name);
        Process process = new ProcessBuilder(RequiredTools.PYTHON, "-c",
                "import pickle, os, sys, math\nout = sys.argv[1]\n" + script, file.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        return file;
    }

    @Test
    void readsRdAgentsDictInEveryProtocol() throws Exception {
        for (int protocol = 0; protocol <= 5; protocol++) {
            Path file = python("p" + protocol + ".pkl", "pickle.dump({'model': 'gpt-4o', 'prompt_tokens': 1234, "
                    + "'completion_tokens': 56, 'cost': 0.0036450000000000002, 'accumulated_cost': 0.5}, "
                    + "open(out, 'wb'), protocol=" + protocol + ")");
            assertThat(TokenCostPickles.read(file)).as("protocol " + protocol)
                    .isEqualTo(new TokenCost("gpt-4o", 1234, 56, 0.0036450000000000002, 0.5));
        }
    }

    @Test
    void anUnpricedCallHasANaNCost() throws Exception {
        Path nan = python("nan.pkl", "pickle.dump({'model': 'deepseek-v3-gateway', 'prompt_tokens': 10, "
                + "'completion_tokens': 2, 'cost': float('nan'), 'accumulated_cost': float('nan')}, open(out, 'wb'))");
        assertThat(TokenCostPickles.read(nan).cost()).isNaN();
        Path none = python("none.pkl", "pickle.dump({'model': 'm', 'prompt_tokens': 10, 'completion_tokens': 2, "
                + "'cost': None}, open(out, 'wb'))");
        assertThat(TokenCostPickles.read(none).cost()).isNaN();
    }

    @Test
    void aPickleCallingOsSystemIsRefusedAndNothingRuns() throws Exception {
        Path marker = dir.resolve("executed");
        // protocols 0-1 name os.system with GLOBAL, 2-5 with STACK_GLOBAL/NEWOBJ: each one refused
        for (int protocol = 0; protocol <= 5; protocol++) {
            Path file = python("evil" + protocol + ".pkl", "class Evil:\n    def __reduce__(self):\n"
                    + "        return (os.system, ('touch " + marker + "',))\n"
                    + "pickle.dump({'model': 'gpt-4o', 'prompt_tokens': 1, 'completion_tokens': 1, 'cost': Evil()}, "
                    + "open(out, 'wb'), protocol=" + protocol + ")");
            assertThatThrownBy(() -> TokenCostPickles.read(file)).as("protocol " + protocol)
                    .isInstanceOf(TokenCostPickles.Refused.class).hasMessageContaining("refused opcode");
        }
        Path builtins = python("eval.pkl", "import builtins\nclass Evil:\n    def __reduce__(self):\n"
                + "        return (builtins.eval, ('1+1',))\npickle.dump(Evil(), open(out, 'wb'))");
        assertThatThrownBy(() -> TokenCostPickles.read(builtins)).isInstanceOf(TokenCostPickles.Refused.class);
        assertThat(marker).doesNotExist();
    }

    @Test
    void malformedFilesAreRefusedAndATruncatedOneMayStillBeBeingWritten() throws Exception {
        Path random = dir.resolve("random.pkl");
        Files.write(random, new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x13, 0x37, 0x00, 0x7f});
        assertThatThrownBy(() -> TokenCostPickles.read(random)).isInstanceOf(TokenCostPickles.Refused.class);

        Path whole = python("whole.pkl", "pickle.dump({'model': 'gpt-4o', 'prompt_tokens': 1, "
                + "'completion_tokens': 1, 'cost': 0.1}, open(out, 'wb'))");
        Path half = dir.resolve("half.pkl");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(half, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> TokenCostPickles.read(half)).isInstanceOfSatisfying(TokenCostPickles.Refused.class,
                refused -> assertThat(refused.truncated).isTrue());

        for (String body : List.of("[1, 2]", "{'model': 'm', 'prompt_tokens': '10', 'completion_tokens': 1, 'cost': 0.1}",
                "{'model': 'm', 'prompt_tokens': -1, 'completion_tokens': 1, 'cost': 0.1}",
                "{'prompt_tokens': 1, 'completion_tokens': 1, 'cost': 0.1}",
                "{'model': 'm', 'prompt_tokens': 1, 'completion_tokens': 1, 'cost': 'free'}")) {
            Path file = python("bad" + body.hashCode() + ".pkl", "pickle.dump(" + body + ", open(out, 'wb'))");
            assertThatThrownBy(() -> TokenCostPickles.read(file)).as(body)
                    .isInstanceOfSatisfying(TokenCostPickles.Refused.class,
                            refused -> assertThat(refused.truncated).isFalse());
        }
        // a few bytes whose length prefix claims more than the file (the reader would allocate it first)
        for (byte[] claim : List.of(new byte[] {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                new byte[] {(byte) 0x80, 2, 'X', 0, 0, 0, 0x60}, new byte[] {(byte) 0x80, 4, (byte) 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40})) {
            Path file = dir.resolve("claims" + claim.length + claim[3] + ".pkl");
            Files.write(file, claim);
            assertThatThrownBy(() -> TokenCostPickles.read(file)).isInstanceOfSatisfying(TokenCostPickles.Refused.class,
                    refused -> assertThat(refused.truncated).isFalse());
        }
        Path large = dir.resolve("large.pkl");
        Files.write(large, new byte[TokenCostPickles.MAX_BYTES + 1]);
        assertThatThrownBy(() -> TokenCostPickles.read(large)).hasMessageContaining("larger than");
    }
}
