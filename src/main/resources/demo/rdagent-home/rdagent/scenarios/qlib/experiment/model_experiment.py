"""Model experiments of the Qlib scenario (simulator).

Templates are located through this module's own ``__file__`` without resolving symlinks; see
``factor_experiment.py`` for why.
"""

from pathlib import Path

TEMPLATE_DIR = Path(__file__).parent / "model_template"

TEMPLATE_FILES = (
    "conf_baseline_factors_model.yaml",
    "conf_sota_factors_model.yaml",
)


class QlibModelExperiment:
    """Minimal stand-in for RD-Agent's ``QlibModelExperiment``."""

    template_folder_path = TEMPLATE_DIR

    def __init__(self, sub_tasks=None):
        self.sub_tasks = list(sub_tasks or [])
        self.result = None

    @staticmethod
    def config_name(has_sota_factors: bool) -> str:
        return "conf_sota_factors_model.yaml" if has_sota_factors else "conf_baseline_factors_model.yaml"
