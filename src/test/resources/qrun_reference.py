# qrun's own steps, copied from qlib/cli/run.py (render_template, then YAML(typ="safe", pure=True).load), and the
# lookups its workflow makes, without any sandbox: the reference the template corpus's valid/ and invalid/ labels
# are checked against. Reads {"templates": [{"file", "text", "variants": [{"name", "env"}]}], "required": [...]}
# on stdin; prints one line per template: "<file> valid" or "<file> invalid <variant>: <error>".
import json
import sys

from jinja2 import Template, meta
from ruamel.yaml import YAML


def qrun_render(config, environ):
    template = Template(config)
    env = template.environment
    parsed_content = env.parse(config)
    variables = meta.find_undeclared_variables(parsed_content)
    context = {var: environ.get(var, "") for var in variables if var in environ}
    return template.render(context)


def qrun_load(rendered, required):
    config = YAML(typ="safe", pure=True).load(rendered)
    config.get("qlib_init")
    for path in required:
        value = config
        for step in path.split("."):
            value = value[step]
        if value is None:
            raise ValueError("empty " + path)


request = json.load(sys.stdin)
for template in request["templates"]:
    verdict = "valid"
    for variant in template["variants"]:
        try:
            qrun_load(qrun_render(template["text"], variant["env"]), request["required"])
        except Exception as error:
            verdict = "invalid %s: %s: %s" % (variant["name"], type(error).__name__, str(error).replace("\n", " "))
            break
    print(template["file"], verdict)
