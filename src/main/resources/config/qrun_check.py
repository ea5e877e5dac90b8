# Checks Qlib templates the way qrun will read them (qlib/cli/run.py): rendered by Jinja2 from the variables
# RD-Agent's runners put in qrun's environment, then loaded by ruamel.yaml (safe, pure: duplicate keys refused),
# then the keys qrun and Qlib look up. Reads {"templates": [...], "required": [...]} as JSON on stdin and writes
# one JSON answer on stdout. Rendering is sandboxed: a template must not run code on the scheduler's machine.
import json
import resource
import sys
import traceback


def answer(value):
    sys.stdout.write(json.dumps(value))
    sys.stdout.flush()


try:
    import jinja2
    import ruamel.yaml
    from jinja2 import TemplateSyntaxError, meta
    from jinja2.sandbox import SandboxedEnvironment
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError
except ImportError as missing:
    answer({"unavailable": str(missing)})
    sys.exit(0)

MEMORY = 1 << 30
resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
ENGINE = "Jinja2 %s + ruamel.yaml %s (Python %s)" % (
    jinja2.__version__, ruamel.yaml.__version__, sys.version.split()[0])


class Refused(Exception):
    def __init__(self, stage, message, line=None, column=None):
        super().__init__(message)
        self.stage, self.message, self.line, self.column = stage, message, line, column


def template_line(error):
    """The template line of a render error: Jinja2 rewrites its traceback to point into the template."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<template>"]
    return lines[-1] if lines else None


def render(source, env, max_output):
    environment = SandboxedEnvironment()
    try:
        parsed = environment.parse(source)
        template = environment.from_string(source)
    except TemplateSyntaxError as error:
        raise Refused("render", error.message, error.lineno)
    # what qrun does: only the template's undeclared variables, and only those set in its environment
    variables = meta.find_undeclared_variables(parsed)
    context = {name: env[name] for name in variables if name in env}
    try:
        text = template.render(context)
    except Exception as error:  # any failure here would fail qrun's render too
        raise Refused("render", "%s: %s" % (type(error).__name__, error), template_line(error))
    if len(text) > max_output:
        raise Refused("render", "renders to more than %d characters" % max_output)
    return text


def load(text):
    try:
        return YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = ((error.context + ": ") if error.context else "") + (error.problem or str(error))
        raise Refused("load", problem, mark.line + 1 if mark else None, mark.column + 1 if mark else None)
    except Exception as error:
        raise Refused("load", "%s: %s" % (type(error).__name__, error))


def child(node, key):
    """A composed mapping node's value for key, following << merge keys as the loader does."""
    if not hasattr(node, "value") or node.id != "mapping":
        return None
    merged = None
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            sources = value_node.value if value_node.id == "sequence" else [value_node]
            for source in sources:
                merged = merged or child(source, key)
        elif key_node.id == "scalar" and key_node.value == key:
            return value_node
    return merged


def near(text, path):
    """Where a missing key belongs: the deepest node on its path in the composed document."""
    node = YAML(typ="safe", pure=True).compose(text)
    found = node
    for step in path.split("."):
        node = child(node, step)
        if node is None:
            break
        found = node
    mark = found.start_mark if found is not None else None
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)


def check_keys(data, text, required):
    if not isinstance(data, dict):
        raise Refused("keys", "the template must be a mapping of keys", 1, 1)
    for path in required:
        value = data
        for step in path.split("."):
            value = value.get(step) if isinstance(value, dict) else None
        if value is None:
            line, column = near(text, path)
            raise Refused("keys", "missing " + path if not present(data, path) else "empty " + path, line, column)


def present(data, path):
    value = data
    for step in path.split("."):
        if not isinstance(value, dict) or step not in value:
            return False
        value = value[step]
    return True


def check(template, required, max_output):
    for variant in template["variants"]:
        try:
            text = render(template["text"], variant["env"], max_output)
            check_keys(load(text), text, required)
        except Refused as refused:
            return {"file": template["file"], "valid": False, "variant": variant["name"], "stage": refused.stage,
                    "message": refused.message, "line": refused.line, "column": refused.column}
    return {"file": template["file"], "valid": True}


def main():
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    answer({"engine": ENGINE, "results": [check(template, request["required"], request["max_output"])
                                          for template in request["templates"]]})


main()
