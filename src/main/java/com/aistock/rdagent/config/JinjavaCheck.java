package com.aistock.rdagent.config;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The fallback check where no Python with Jinja2 is at hand: Jinjava renders the template, SnakeYAML loads it
 * (duplicate keys refused, as qrun's loader does), then the keys Qlib needs are looked up. Jinjava is more lenient
 * than Jinja2, so what Jinja2 refuses and Jinjava lets pass is checked before rendering: block tags out of place,
 * empty expressions, filters and tests Jinja2 does not have, attributes and calls of variables no runner passes,
 * division by a literal zero, arithmetic on a string literal, includes. What Jinjava cannot render it refuses ({@code "x".upper()},
 * {@code {% filter %}}): a stricter answer than qrun's, never a more lenient one on the checks above. Line numbers
 * are the template's own: every tag the templates use renders on the line it stands on.
 */
public final class JinjavaCheck {

    public static final String ENGINE = "Jinjava " + Jinjava.class.getPackage().getImplementationVersion()
            + " + SnakeYAML (fallback: no Python with Jinja2)";

    /** Keys a template must have with a value. */
    static final List<String> REQUIRED = List.of("qlib_init.provider_uri", "market", "benchmark",
            "task.dataset.kwargs.segments.train", "task.dataset.kwargs.segments.valid",
            "task.dataset.kwargs.segments.test", "port_analysis_config.backtest");

    /** A model runner's variables without dates, so values read from a template are its own defaults. */
    static final Map<String, String> DEFAULTS_ONLY = Map.of(
            "feature_names", "['RESI5', 'WVMA5', 'RSQR5']",
            "feature_expressions", "['Resi($close, 5)/$close', 'Rsquare($close, 5)', 'Rsquare($close, 10)']",
            "n_epochs", "100", "lr", "0.001", "early_stop", "10", "batch_size", "256", "weight_decay", "0.0001",
            "dataset_cls", "DatasetH", "num_features", "20");

    private static final Set<String> FILTERS = Set.of("abs", "attr", "batch", "capitalize", "center", "count", "d",
            "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "forceescape", "format", "groupby",
            "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min", "pprint", "random",
            "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice", "sort",
            "string", "striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper", "urlencode",
            "urlize", "wordcount", "wordwrap", "xmlattr");
    private static final Set<String> TESTS = Set.of("boolean", "callable", "defined", "divisibleby", "eq", "equalto",
            "escaped", "even", "false", "filter", "float", "ge", "greaterthan", "gt", "in", "integer", "iterable", "le",
            "lessthan", "lower", "lt", "mapping", "ne", "none", "number", "odd", "sameas", "sequence", "string", "test",
            "true", "undefined", "upper");
    /** Names Jinja2 always knows, and words of its expression syntax. */
    private static final Set<String> KNOWN = Set.of("range", "lipsum", "dict", "cycler", "joiner", "namespace", "loop",
            "caller", "varargs", "kwargs", "self", "true", "false", "none", "True", "False", "None", "and", "or", "not",
            "in", "is", "if", "else");
    private static final Map<String, String> CLOSES = Map.of("endif", "if", "endfor", "for", "endfilter", "filter",
            "endmacro", "macro", "endcall", "call", "endset", "set", "endwith", "with", "endblock", "block",
            "endautoescape", "autoescape");
    private static final Set<String> INCLUDES = Set.of("include", "import", "from", "extends");

    private static final Pattern COMMENT = Pattern.compile("\\{#.*?#}", Pattern.DOTALL);
    private static final Pattern RAW = Pattern.compile("\\{%-?\\s*raw\\s*-?%}.*?\\{%-?\\s*endraw\\s*-?%}", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("\\{%-?\\s*([A-Za-z_]\\w*)(.*?)-?%}", Pattern.DOTALL);
    private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern FILTER = Pattern.compile("\\|\\s*([A-Za-z_]\\w*)");
    private static final Pattern TEST = Pattern.compile("\\bis\\s+(?:not\\s+)?([A-Za-z_]\\w*)");
    private static final Pattern LOOKUP = Pattern.compile("(?<![\\w.\\])'\"|])([A-Za-z_]\\w*)\\s*([.\\[(])");
    private static final Pattern ZERO_DIVISOR = Pattern.compile("(//|/|%)\\s*0+(?:\\.0*)?(?![\\w.])");
    /** A string literal and a number joined by arithmetic Python refuses (Jinjava concatenates them). */
    private static final Pattern STRING_ARITHMETIC = Pattern.compile("''\\s*[-+/]\\s*\\d|\\d\\s*[-+/]\\s*''");
    private static final Pattern ASSIGNED = Pattern.compile(
            "\\{%-?\\s*(?:set|with)\\s+([\\w\\s,]+?)\\s*(?:=|-?%})|\\{%-?\\s*for\\s+([\\w\\s,]+?)\\s+in\\b"
                    + "|\\{%-?\\s*macro\\s+(\\w+)\\s*\\(([^)]*)\\)|\\{%-?\\s*with\\s+(\\w+)\\s*=");

    private static final Jinjava JINJAVA = jinjava();

    private JinjavaCheck() {
    }

    /** @throws InvalidTemplateException naming the first problem and where it is */
    public static void validate(String file, String template) {
        String code = code(template);
        checkTags(code);
        for (RunnerVariables.Variant variant : RunnerVariables.of(file)) {
            checkExpressions(code, variant);
            Node root = parse(template, variant.env(), false);
            for (String key : REQUIRED) {
                Optional<Node> value = YamlPaths.find(root, key);
                if (value.isEmpty() || Tag.NULL.equals(value.get().getTag())) {
                    Mark near = value.map(Node::getStartMark).orElse(YamlPaths.deepestParent(root, key).getStartMark());
                    throw refused((value.isEmpty() ? "missing " : "empty ") + key, near.getLine() + 1, near.getColumn() + 1);
                }
            }
        }
    }

    /**
     * The template rendered with {@code variables} (absent ones render empty, as with qrun) and composed as YAML;
     * duplicate keys are refused when {@code lenient} is false.
     */
    static Node parse(String template, Map<String, String> variables, boolean lenient) {
        RenderResult result = JINJAVA.renderForResult(template, variables);
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL
                    || error.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR) {
                throw refused(error.getMessage(), error.getLineno() > 0 ? error.getLineno() : null,
                        error.getStartPosition() > 0 ? error.getStartPosition() : null);
            }
        }
        String output = result.getOutput();
        if (!lenient && (output.contains("Infinity") && !template.contains("Infinity")
                || output.contains("NaN") && !template.contains("NaN"))) {
            throw refused("division by zero (Jinja2 raises ZeroDivisionError)", null, null);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(lenient);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Node root;
        try {
            root = yaml.compose(new StringReader(output));
            if (!lenient) {
                yaml.load(output);
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = (e.getContext() == null ? "" : e.getContext() + ": ") + e.getProblem();
            throw refused("YAML: " + problem, mark == null ? null : mark.getLine() + 1,
                    mark == null ? null : mark.getColumn() + 1);
        }
        if (!(root instanceof MappingNode)) {
            throw refused("the template must be a mapping of keys", 1, 1);
        }
        return root;
    }

    /** The template without comments and raw blocks (kept as blank lines, so line numbers stay). */
    private static String code(String template) {
        return blank(RAW, blank(COMMENT, template));
    }

    private static String blank(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder kept = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(kept, Matcher.quoteReplacement(matcher.group().replaceAll("[^\\n]", " ")));
        }
        return matcher.appendTail(kept).toString();
    }

    /** Block tags must open and close in order, as Jinja2's parser insists; includes have nothing to load. */
    private static void checkTags(String code) {
        Deque<String> open = new ArrayDeque<>();
        Deque<Integer> openedAt = new ArrayDeque<>();
        Matcher tag = TAG.matcher(code);
        while (tag.find()) {
            String name = tag.group(1);
            String rest = tag.group(2);
            int line = lineOf(code, tag.start());
            if (INCLUDES.contains(name)) {
                throw refused("qrun renders the template on its own: '" + name + "' has nothing to load", line, null);
            } else if (CLOSES.containsKey(name)) {
                if (!CLOSES.get(name).equals(open.peek())) {
                    throw refused("Encountered unknown tag '" + name + "'", line, null);
                }
                open.pop();
                openedAt.pop();
            } else if (name.equals("elif") || name.equals("else")) {
                if (!"if".equals(open.peek()) && !(name.equals("else") && "for".equals(open.peek()))) {
                    throw refused("Encountered unknown tag '" + name + "'", line, null);
                }
            } else if (name.equals("set") && !rest.contains("=") || CLOSES.containsValue(name) && !name.equals("set")) {
                open.push(name);
                openedAt.push(line);
            }
        }
        if (!open.isEmpty()) {
            throw refused("Unexpected end of template: '" + open.peek() + "' is never closed", openedAt.peek(), null);
        }
    }

    /** What Jinja2 refuses in an expression though Jinjava renders it. */
    private static void checkExpressions(String code, RunnerVariables.Variant variant) {
        Set<String> defined = new HashSet<>(variant.env().keySet());
        Matcher assigned = ASSIGNED.matcher(code);
        while (assigned.find()) {
            for (int group = 1; group <= assigned.groupCount(); group++) {
                if (assigned.group(group) != null) {
                    for (String name : assigned.group(group).split("[\\s,=]+")) {
                        defined.add(name.strip());
                    }
                }
            }
        }
        for (Pattern part : List.of(EXPRESSION, TAG)) {
            Matcher matcher = part.matcher(code);
            while (matcher.find()) {
                String expression = STRING.matcher(matcher.group(part == TAG ? 2 : 1)).replaceAll("''");
                int line = lineOf(code, matcher.start());
                if (part == EXPRESSION && expression.replace("-", "").isBlank()) {
                    throw refused("Expected an expression, got 'end of print statement'", line, null);
                }
                if (part == TAG && matcher.group(1).equals("filter")) {
                    expression = "|" + expression;
                }
                check(FILTER, expression, FILTERS, "No filter named '%s'", line);
                check(TEST, expression, TESTS, "No test named '%s'", line);
                Matcher lookup = LOOKUP.matcher(expression);
                while (lookup.find()) {
                    String name = lookup.group(1);
                    boolean filterCall = expression.substring(0, lookup.start()).matches("(?s).*\\|\\s*$");
                    if (!filterCall && !name.matches("\\d.*") && !defined.contains(name) && !KNOWN.contains(name)) {
                        throw refused("'" + name + "' is undefined (" + variant.name() + ")", line, null);
                    }
                }
                if (ZERO_DIVISOR.matcher(expression).find()) {
                    throw refused("division by zero", line, null);
                }
                if (STRING_ARITHMETIC.matcher(expression).find()) {
                    throw refused("a string and a number cannot be added, subtracted or divided", line, null);
                }
            }
        }
    }

    private static void check(Pattern pattern, String expression, Set<String> known, String message, int line) {
        Matcher matcher = pattern.matcher(expression);
        while (matcher.find()) {
            if (!known.contains(matcher.group(1))) {
                throw refused(String.format(message, matcher.group(1)), line, null);
            }
        }
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static InvalidTemplateException refused(String message, Integer line, Integer column) {
        return new InvalidTemplateException(ENGINE + ": " + message, line, column);
    }

    /**
     * Bounded output, and no {@code include}/{@code import}: qrun's templates use none, and a submitted template
     * must not pull files of this service into the render.
     */
    private static Jinjava jinjava() {
        Jinjava jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withMaxOutputSize(10L * 1024 * 1024)
                .withMaxRenderDepth(10)
                .build());
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new ResourceNotFoundException("templates may not include other files: " + name);
        });
        return jinjava;
    }
}
