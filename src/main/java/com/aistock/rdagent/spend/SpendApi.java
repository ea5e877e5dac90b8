package com.aistock.rdagent.spend;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.JsonFields;
import com.aistock.rdagent.system.Operators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** {@code /api/rdagent/spend}: spend per day, model or user; the price table and the quotas (writes: ADMIN). */
@Component("spendApi")
public class SpendApi {

    /** The longest period one report covers. */
    static final int MAX_DAYS = 366;
    private static final int MAX_NAME = 200;

    public record Report(LocalDate from, LocalDate to, String groupBy, String timeZone, BigDecimal cnyRate,
                         SpendStore.Group total, List<SpendStore.Group> items) {
    }

    public record Prices(List<PriceTable.Entry> items, BigDecimal cnyRate) {
    }

    public record Quotas(List<SpendQuotas.Standing> items, SpendQuotas.Limits userDefault, String onExceeded) {
    }

    private final SpendStore store;
    private final PriceTable prices;
    private final SpendQuotas quotas;
    private final LlmProperties properties;
    private final ObjectMapper mapper;

    public SpendApi(SpendStore store, PriceTable prices, SpendQuotas quotas, LlmProperties properties,
                    ObjectMapper mapper) {
        this.store = store;
        this.prices = prices;
        this.quotas = quotas;
        this.properties = properties;
        this.mapper = mapper;
    }

    public Report report(@Header("from") String from, @Header("to") String to, @Header("group_by") String groupBy) {
        ZoneId zone = quotas.zone();
        LocalDate until = date("to", to, LocalDate.now(zone));
        LocalDate since = date("from", from, until.minusDays(29));
        if (since.isAfter(until)) {
            throw ApiException.validation("from", "must not be after to (" + until + ")");
        }
        if (ChronoUnit.DAYS.between(since, until) >= MAX_DAYS) {
            throw ApiException.validation("from", "a report covers at most " + MAX_DAYS + " days");
        }
        SpendStore.GroupBy by;
        try {
            by = SpendStore.GroupBy.valueOf((groupBy == null || groupBy.isEmpty() ? "day" : groupBy)
                    .toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("group_by", "must be one of day, model, user");
        }
        List<SpendStore.Group> items = store.report(by, since.atStartOfDay(zone).toOffsetDateTime(),
                until.plusDays(1).atStartOfDay(zone).toOffsetDateTime(), zone.getId());
        SpendStore.Group total = new SpendStore.Group(null,
                items.stream().mapToLong(SpendStore.Group::calls).sum(),
                items.stream().mapToLong(SpendStore.Group::promptTokens).sum(),
                items.stream().mapToLong(SpendStore.Group::completionTokens).sum(),
                items.stream().map(SpendStore.Group::usd).filter(Objects::nonNull).reduce(BigDecimal::add)
                        .orElse(null),
                items.stream().mapToLong(SpendStore.Group::unpricedCalls).sum());
        return new Report(since, until, by.name().toLowerCase(Locale.ROOT), zone.getId(), properties.cnyRate(), total,
                items);
    }

    public Prices prices() {
        return new Prices(prices.entries(), properties.cnyRate());
    }

    public PriceTable.Entry putPrice(@Body String body) {
        JsonNode json = JsonFields.object(mapper, body, Set.of("model", "prompt_per_m", "completion_per_m", "override"));
        String model = name(json, "model");
        BigDecimal prompt = usd(json, "prompt_per_m", true);
        BigDecimal completion = usd(json, "completion_per_m", true);
        JsonNode override = json.get("override");
        if (override != null && !override.isNull() && !override.isBoolean()) {
            throw ApiException.validation("override", "must be true or false");
        }
        prices.put(model, prompt, completion, override != null && override.asBoolean(), Operators.current());
        return prices.snapshot().get(model);
    }

    public Map<String, Object> deletePrice(@Header("model") String model) {
        if (model == null || model.isBlank()) {
            throw ApiException.validation("model", "is required");
        }
        if (!prices.delete(model)) {
            throw ApiException.notFound("no price set through the API for model " + model);
        }
        return Map.of("model", model, "deleted", true);
    }

    public Quotas quotas() {
        return new Quotas(quotas.standings(), quotas.userDefault(),
                properties.quota().onExceeded().name().toLowerCase(Locale.ROOT));
    }

    public SpendQuotas.Standing putQuota(@Body String body) {
        JsonNode json = JsonFields.object(mapper, body, Set.of("subject", "daily_usd", "monthly_usd"));
        String subject = name(json, "subject");
        quotas.put(subject, usd(json, "daily_usd", false), usd(json, "monthly_usd", false), Operators.current());
        return quotas.standings().stream().filter(s -> s.subject().equals(subject)).findFirst().orElseThrow();
    }

    public Map<String, Object> deleteQuota(@Header("subject") String subject) {
        if (subject == null || subject.isBlank()) {
            throw ApiException.validation("subject", "is required");
        }
        if (!quotas.delete(subject)) {
            throw ApiException.notFound("no quota set through the API for " + subject);
        }
        return Map.of("subject", subject, "deleted", true);
    }

    private static LocalDate date(String field, String text, LocalDate fallback) {
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.validation(field, "must be an ISO date YYYY-MM-DD");
        }
    }

    private static String name(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank() || value.asText().length() > MAX_NAME
                || value.asText().chars().anyMatch(Character::isISOControl)
                || !value.asText().strip().equals(value.asText())) {
            throw ApiException.validation(field, "must be 1 to " + MAX_NAME
                    + " characters, no control characters, no space at either end");
        }
        return value.asText();
    }

    /** USD: 0 to a million; required, or null meaning none. */
    private static BigDecimal usd(JsonNode json, String field, boolean required) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.validation(field, "is required");
            }
            return null;
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0
                || value.decimalValue().compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            throw ApiException.validation(field, "must be a number of US dollars from 0 to 1000000");
        }
        return value.decimalValue();
    }
}
