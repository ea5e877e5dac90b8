package com.aistock.rdagent.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Looks up {@code a.b.c} and {@code a.b[0]} in a composed YAML tree. Aliases are already the anchored nodes;
 * {@code <<} merge keys are followed, as a YAML loader would.
 */
final class YamlPaths {

    private static final Pattern STEP = Pattern.compile("([^.\\[]+)(?:\\[(\\d+)])?");

    private YamlPaths() {
    }

    static Optional<Node> find(Node root, String path) {
        Node node = root;
        for (String step : path.split("\\.")) {
            Matcher matcher = STEP.matcher(step);
            if (!matcher.matches()) {
                throw new IllegalArgumentException(path);
            }
            node = child(node, matcher.group(1));
            if (node != null && matcher.group(2) != null) {
                node = element(node, Integer.parseInt(matcher.group(2)));
            }
            if (node == null) {
                return Optional.empty();
            }
        }
        return Optional.of(node);
    }

    /** The scalar at {@code path} as written, null when it is absent, null or not a scalar. */
    static String scalar(Node root, String path) {
        return find(root, path)
                .filter(node -> node instanceof ScalarNode && !Tag.NULL.equals(node.getTag()))
                .map(node -> ((ScalarNode) node).getValue())
                .orElse(null);
    }

    /** The deepest node on the way to a missing {@code path}, to point at where the key belongs. */
    static Node deepestParent(Node root, String path) {
        Node deepest = root;
        String prefix = "";
        for (String step : path.split("\\.")) {
            prefix = prefix.isEmpty() ? step : prefix + "." + step;
            Optional<Node> node = find(root, prefix);
            if (node.isEmpty()) {
                break;
            }
            deepest = node.get();
        }
        return deepest;
    }

    private static Node child(Node node, String key) {
        if (!(node instanceof MappingNode mapping)) {
            return null;
        }
        Node merged = null;
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar) {
                if (Tag.MERGE.equals(scalar.getTag())) {
                    merged = merged == null ? fromMerge(tuple.getValueNode(), key) : merged;
                } else if (scalar.getValue().equals(key)) {
                    return tuple.getValueNode();
                }
            }
        }
        return merged;
    }

    private static Node fromMerge(Node value, String key) {
        List<Node> sources = value instanceof SequenceNode sequence ? sequence.getValue() : List.of(value);
        for (Node source : sources) {
            Node found = child(source, key);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Node element(Node node, int index) {
        return node instanceof SequenceNode sequence && index < sequence.getValue().size()
                ? sequence.getValue().get(index) : null;
    }
}
