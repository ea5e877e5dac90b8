package com.aistock.rdagent.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** 数据集管理: a refused stock pool names its bad lines; an accepted one is listed and offered to new tasks. */
// before the API tests of the same features: see the closing note on the console's history panel
@Order(1)
class DatasetConsoleTest extends BrowserTest {

    @Test
    void badLinesAreNumberedAndAGoodPoolReachesTheTaskDialog() throws IOException {
        String name = "console_" + UUID.randomUUID().toString().substring(0, 8);
        Path folder = Files.createDirectories(base().resolve("console-uploads"));
        Path bad = Files.writeString(folder.resolve("bad.txt"),
                "SH600000\t2020-01-01\t2020-12-31\nnot a symbol at all\nSZ000001\t2021-06-01\t2020-01-01\n");
        Path good = Files.writeString(folder.resolve("good.txt"),
                "# my pool\nSH600000\t2019-01-02\t2020-12-31\nSZ000001\t2019-01-02\t2020-12-31\n");

        open("#/datasets");
        await("#dataset-upload input[name=name]").sendKeys(name);
        find("#dataset-upload input[name=file]").sendKeys(bad.toString());
        click("#dataset-upload button[type=submit]");
        String errors = await("#upload-errors").getText();
        assertThat(errors).contains("line 2").contains("line 3").doesNotContain("line 1:");
        assertThat(api.get("/api/rdagent/datasets").body()).as("nothing imported").doesNotContain(name);

        find("#dataset-upload input[name=file]").sendKeys(good.toString());
        click("#dataset-upload button[type=submit]");
        awaitToast("已导入数据集 " + name);
        assertThat(await("tr[data-dataset='" + name + "']").getText()).contains("2");
        assertThat(findAll("#upload-errors")).isEmpty();

        open("#/tasks");
        click("#new-task");
        assertThat(await("dialog[open] [data-field=dataset_ids]").getText()).contains(name);
    }
}
