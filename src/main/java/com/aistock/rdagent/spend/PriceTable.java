package com.aistock.rdagent.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The price table: {@code scheduler.llm.prices} with the API's entries over them (an entry deleted through the API
 * falls back to the configured one). Prices a call when LiteLLM could not (cost NaN) or when the entry overrides
 * LiteLLM; a price applies to the calls read after it was set.
 */
@Component
public class PriceTable {

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    /**
     * @param source {@code config} (scheduler.llm.prices) or {@code api}
     */
    public record Entry(String model, BigDecimal promptPerM, BigDecimal completionPerM, boolean override,
                        String source, String updatedBy, OffsetDateTime updatedAt) {
    }

    /** What a call costs and who said so: {@code litellm}, {@code table}, or {@code unknown} (usd null). */
    public record Priced(BigDecimal usd, String pricedBy) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final Map<String, LlmProperties.Price> configured;

    public PriceTable(NamedParameterJdbcTemplate jdbc, LlmProperties properties) {
        this.jdbc = jdbc;
        this.configured = properties.prices();
    }

    public List<Entry> entries() {
        Map<String, Entry> byModel = new LinkedHashMap<>();
        configured.forEach((model, price) -> byModel.put(model, new Entry(model, price.prompt(), price.completion(),
                price.override(), "config", null, null)));
        jdbc.query(SqlFiles.load("spend-price-list"), Map.of(), rs -> {
            String model = rs.getString("model");
            byModel.put(model, new Entry(model, rs.getBigDecimal("prompt_per_m"), rs.getBigDecimal("completion_per_m"),
                    rs.getBoolean("override"), "api", rs.getString("updated_by"),
                    rs.getObject("updated_at", OffsetDateTime.class)));
        });
        List<Entry> list = new ArrayList<>(byModel.values());
        list.sort(Comparator.comparing(Entry::model));
        return list;
    }

    /** The prices as they are now, for one batch of calls. */
    public Map<String, Entry> snapshot() {
        Map<String, Entry> byModel = new LinkedHashMap<>();
        entries().forEach(entry -> byModel.put(entry.model(), entry));
        return byModel;
    }

    static Priced price(TokenCost call, Map<String, Entry> table) {
        Entry entry = table.get(call.model());
        boolean litellm = Double.isFinite(call.cost()) && call.cost() >= 0;
        if (entry != null && (entry.override() || !litellm)) {
            BigDecimal usd = entry.promptPerM().multiply(BigDecimal.valueOf(call.promptTokens()))
                    .add(entry.completionPerM().multiply(BigDecimal.valueOf(call.completionTokens())))
                    .divide(MILLION, 10, RoundingMode.HALF_UP);
            return new Priced(usd, "table");
        }
        return litellm ? new Priced(BigDecimal.valueOf(call.cost()).setScale(10, RoundingMode.HALF_UP), "litellm")
                : new Priced(null, "unknown");
    }

    public void put(String model, BigDecimal promptPerM, BigDecimal completionPerM, boolean override, String operator) {
        jdbc.update(SqlFiles.load("spend-price-upsert"), new MapSqlParameterSource()
                .addValue("model", model)
                .addValue("prompt", promptPerM)
                .addValue("completion", completionPerM)
                .addValue("override", override)
                .addValue("operator", operator));
    }

    /** @return whether the API had an entry for it */
    public boolean delete(String model) {
        return jdbc.update(SqlFiles.load("spend-price-delete"), Map.of("model", model)) == 1;
    }
}
