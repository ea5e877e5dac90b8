"""Factor experiments of the Qlib scenario (simulator).

As in RD-Agent, the Qlib workflow templates are found next to this module through its own
``__file__``. The path is deliberately *not* resolved: the scheduler puts an overlay package
first on PYTHONPATH whose directories along this path are real (holding the task's template
snapshot) while this file itself is a symlink. ``Path(__file__).parent`` then points into the
overlay, which is what makes the snapshot the templates that are used.
"""

from pathlib import Path

TEMPLATE_DIR = Path(__file__).parent / "factor_template"

TEMPLATE_FILES = (
    "conf_baseline.yaml",
    "conf_combined_factors.yaml",
    "conf_combined_factors_sota_model.yaml",
)


class QlibFactorExperiment:
    """Minimal stand-in for RD-Agent's ``QlibFactorExperiment``."""

    template_folder_path = TEMPLATE_DIR

    def __init__(self, sub_tasks=None):
        self.sub_tasks = list(sub_tasks or [])
        self.result = None

    @staticmethod
    def config_name(has_sota_factors: bool, has_sota_model: bool) -> str:
        if not has_sota_factors:
            return "conf_baseline.yaml"
        if has_sota_model:
            return "conf_combined_factors_sota_model.yaml"
        return "conf_combined_factors.yaml"
