package com.aistock.rdagent.spend;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A task's or a loop's spend as the API shows it: {@code usd} (what the priced calls cost; null when none could be
 * priced, never 0 for unknown), {@code complete} (false when some calls could not be priced), tokens and calls, the
 * sources that priced them and the same per model and source.
 */
final class CostSummary {

    private CostSummary() {
    }

    /** The total in USD of the priced calls among the sums; null when none was priced. */
    static BigDecimal usd(Collection<SpendStore.Sum> sums) {
        return sums.stream().map(SpendStore.Sum::usd).filter(Objects::nonNull)
                .reduce(BigDecimal::add).orElse(null);
    }

    static ObjectNode of(Collection<SpendStore.Sum> sums, ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        BigDecimal usd = usd(sums);
        node.put("usd", usd == null ? null : usd.stripTrailingZeros());
        node.put("complete", sums.stream().noneMatch(sum -> sum.usd() == null));
        node.put("calls", sums.stream().mapToLong(SpendStore.Sum::calls).sum());
        node.put("prompt_tokens", sums.stream().mapToLong(SpendStore.Sum::promptTokens).sum());
        node.put("completion_tokens", sums.stream().mapToLong(SpendStore.Sum::completionTokens).sum());
        ArrayNode pricedBy = node.putArray("priced_by");
        new TreeSet<>(sums.stream().map(SpendStore.Sum::pricedBy).toList()).forEach(pricedBy::add);
        // the same model priced by the same source in several loops is one entry
        Map<List<String>, SpendStore.Sum> byModel = new LinkedHashMap<>();
        for (SpendStore.Sum sum : sums) {
            byModel.merge(List.of(sum.model(), sum.pricedBy()), sum, (a, b) -> new SpendStore.Sum(null, a.model(),
                    a.pricedBy(), a.calls() + b.calls(), a.promptTokens() + b.promptTokens(),
                    a.completionTokens() + b.completionTokens(), a.usd() == null ? b.usd()
                    : b.usd() == null ? a.usd() : a.usd().add(b.usd())));
        }
        ArrayNode models = node.putArray("by_model");
        byModel.values().forEach(sum -> models.addObject()
                .put("model", sum.model())
                .put("priced_by", sum.pricedBy())
                .put("calls", sum.calls())
                .put("prompt_tokens", sum.promptTokens())
                .put("completion_tokens", sum.completionTokens())
                .put("usd", sum.usd() == null ? null : sum.usd().stripTrailingZeros()));
        return node;
    }
}
