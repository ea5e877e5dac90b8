package com.aistock.rdagent.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Which keys differ between versions of one template: each version rendered with the defaults alone (as the
 * consistency check does) and composed as YAML, then compared key by key ({@code task.model.kwargs.lr},
 * {@code port_analysis_config.strategy.kwargs.topk}, list items as {@code [0]}).
 */
@Component
public class TemplateKeyDiff {

    private final TemplateBlobStore blobs;

    public TemplateKeyDiff(TemplateBlobStore blobs) {
        this.blobs = blobs;
    }

    /**
     * @param sha256s the contents to compare, as stored by the config history
     * @return the keys whose value is not the same in all of them, sorted; empty when a version is not stored or
     * does not render to YAML (then only the version tells them apart)
     */
    public Optional<List<String>> changedKeys(Collection<String> sha256s) {
        List<Map<String, String>> versions = new ArrayList<>();
        for (String sha256 : sha256s) {
            Optional<byte[]> content = blobs.find(sha256);
            if (content.isEmpty()) {
                return Optional.empty();
            }
            try {
                Map<String, String> keys = new LinkedHashMap<>();
                flatten(JinjavaCheck.parse(new String(content.get(), StandardCharsets.UTF_8),
                        JinjavaCheck.DEFAULTS_ONLY, true), "", keys, Collections.newSetFromMap(new IdentityHashMap<>()));
                versions.add(keys);
            } catch (InvalidTemplateException e) {
                return Optional.empty();
            }
        }
        TreeSet<String> changed = new TreeSet<>();
        for (Map<String, String> version : versions) {
            for (String key : version.keySet()) {
                String first = versions.get(0).get(key);
                if (versions.stream().anyMatch(other -> !Objects.equals(other.get(key), first))) {
                    changed.add(key);
                }
            }
        }
        return Optional.of(List.copyOf(changed));
    }

    /**
     * Every leaf of the YAML tree by its path; a key that is not a plain scalar is skipped. An anchored node counts
     * once, under its anchor's path: its aliases ({@code *port_analysis_config}) are the same node.
     */
    static void flatten(Node node, String path, Map<String, String> keys, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    flatten(tuple.getValueNode(), path.isEmpty() ? key.getValue() : path + "." + key.getValue(), keys,
                            seen);
                }
            }
        } else if (node instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                flatten(sequence.getValue().get(i), path + "[" + i + "]", keys, seen);
            }
        } else if (node instanceof ScalarNode scalar) {
            keys.put(path, scalar.getValue());
        }
    }
}
