"""RD-Agent simulator: the ``rdagent`` command line of the RD-Agent Scheduler's demo mode.

Behaves like ``rdagent fin_quant|fin_factor|fin_model`` seen from outside (command line, exit
codes, stdout/stderr format, files written, HTTP events, signals) without any LLM or Qlib.
Python 3 standard library only; pandas is used, when importable, to write ``ret.pkl``.

Knobs (environment variables):

``RDAGENT_SIM_STEP_SECONDS``  seconds each step takes (float, default 1, 0 allowed)
``RDAGENT_SIM_HOLD_FILE``     a path: while that file exists, every step waits at its end, as a long step does (a test
                              holds a run where it wants it and releases it by deleting the file)
``RDAGENT_SIM_FAIL_AT``       ``loop:step`` (step index or name): fail there with a traceback, exit 1
``RDAGENT_SIM_NO_RESULTS``    non-empty: experiments write no ``qlib_res.csv`` / ``ret.pkl``
``RDAGENT_SIM_LOG_BYTES``     extra bytes of LLM-style chatter written to stdout by every step
``RDAGENT_SIM_SPAWN_CHILD``   non-empty: start a long-lived grandchild that ignores SIGINT
``RDAGENT_SIM_NAN_METRICS``   loop indices (``0,2``) or ``all``: those loops' ``qlib_res.csv`` holds only NaN and
                              +/-inf values, written as pandas writes them (NaN empty, ``inf``, ``-inf``)
``RDAGENT_SIM_SEED``          the run's seed (default 0): same task, same numbers; another seed, another run
``RDAGENT_SIM_NAN``           metric names (comma-separated, e.g. ``IC``) written as NaN in every experiment
``CHAT_MODEL``                the model of the simulated LLM calls (default ``gpt-4o``); each call writes RD-Agent's
                              ``token_cost`` pickle under ``Loop_<i>/<step>/token_cost/<pid>/``
``RDAGENT_SIM_CODER_MODEL``   the model of the coding step's calls (default ``deepseek-v3-gateway``, which the
                              simulated LiteLLM cannot price: cost NaN); empty: CHAT_MODEL
``RDAGENT_SIM_DOCKER``        non-empty: run a long container (``docker run``, image ``RDAGENT_SIM_DOCKER_IMAGE``,
                              default ``rdagent-sim-busybox:latest``) with the workspace mounted, like RD-Agent's
                              qrun containers; removed when the run ends, left behind when it is interrupted or
                              killed (RD-Agent issue #971)

The numbers themselves come from ``research.py``: a function of the dataset, dates, template values, evolving
mode and seed.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import hashlib
import json
import math
import os
import pickle
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

from rdagent.app.research import Research

MODULE_NAME = "rdagent.app.cli"  # the loguru "{name}" shown on every line
STEPS = ("direct_exp_gen", "coding", "running", "feedback", "record")
COMMANDS = {
    "fin_quant": "Auto R&D Evolving loop for fintech factors and models.",
    "fin_factor": "Auto R&D Evolving loop for fintech factors.",
    "fin_model": "Auto R&D Evolving loop for fintech models.",
}
FAIL_MESSAGE = "Failed to create chat completion after 10 retries."
SESSION_FORMAT = "rdagent-simulator-session/1"
# USD per million prompt and completion tokens of the models the simulated LiteLLM can price; any other is NaN
LITELLM_PRICES = {"gpt-4o": (2.5, 10.0), "gpt-4o-mini": (0.15, 0.6), "deepseek/deepseek-chat": (0.27, 1.1)}
# LiteLLM backend's per-process total (rdagent/oai/backend/litellm.py ACC_COST): a resumed run starts again at 0
ACC_COST = 0.0


# --------------------------------------------------------------------------------------------
# Output: loguru-style lines on stdout, tqdm-style bar on stderr
# --------------------------------------------------------------------------------------------


def _write_out(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass


def _write_err(text: str) -> None:
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass


class Logger:
    """``YYYY-MM-DD HH:mm:ss.SSS | LEVEL    | module:function:line - message`` (loguru default)."""

    def _emit(self, level: str, message: str) -> None:
        frame = sys._getframe(2)
        now = _dt.datetime.now()
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (now.microsecond // 1000)
        _write_out(
            "%s | %-8s | %s:%s:%d - %s\n" % (stamp, level, MODULE_NAME, frame.f_code.co_name, frame.f_lineno, message)
        )

    def info(self, message: str) -> None:
        self._emit("INFO", message)

    def warning(self, message: str) -> None:
        self._emit("WARNING", message)

    def error(self, message: str) -> None:
        self._emit("ERROR", message)

    def raw(self, text: str) -> None:
        """Unprefixed output (streamed LLM text, qrun output), like RD-Agent's raw log lines."""
        _write_out(text if text.endswith("\n") else text + "\n")


logger = Logger()


def _fmt_interval(seconds: float) -> str:
    minutes, sec = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return "%d:%02d:%02d" % (hours, minutes, sec) if hours else "%02d:%02d" % (minutes, sec)


class ProgressBar:
    """A tqdm look-alike: ``Workflow Progress:  40%|####      | 2/5 [00:02<00:03, 1.00s/step, ...]``."""

    CHARSET = " 123456789#"
    WIDTH = 10

    def __init__(self, total: int) -> None:
        self.total = total
        self.n = 0
        self.start = time.monotonic()
        self.postfix = ""
        self.last_len = 0
        self.drawn = False

    def reset(self, n: int = 0) -> None:
        self.n = n
        self.start = time.monotonic()

    def set_postfix(self, loop_index: int, step_index: int, step_name: str) -> None:
        self.postfix = ", loop_index=%d, step_index=%d, step_name=%s" % (loop_index, step_index, step_name)

    def update(self, k: int = 1) -> None:
        self.n += k

    def render(self) -> None:
        elapsed = time.monotonic() - self.start
        frac = min(max(self.n / self.total, 0.0), 1.0) if self.total else 0.0
        full, part = divmod(int(frac * self.WIDTH * 10), 10)
        bar = self.CHARSET[-1] * full
        if full < self.WIDTH:
            bar += self.CHARSET[part] + " " * (self.WIDTH - full - 1)
        rate = self.n / elapsed if (self.n > 0 and elapsed > 0) else None
        if rate is None:
            rate_fmt, remaining = "?step/s", "?"
        else:
            rate_fmt = ("%.2fstep/s" % rate) if rate >= 1 else ("%.2fs/step" % (1 / rate))
            remaining = _fmt_interval((self.total - self.n) / rate)
        line = "Workflow Progress: %3.0f%%|%s| %d/%d [%s<%s, %s%s]" % (
            frac * 100,
            bar,
            self.n,
            self.total,
            _fmt_interval(elapsed),
            remaining,
            rate_fmt,
            self.postfix,
        )
        pad = " " * max(self.last_len - len(line), 0)
        self.last_len = len(line)
        self.drawn = True
        _write_err("\r" + line + pad)

    def close(self) -> None:
        if self.drawn:
            _write_err("\n")
            self.drawn = False


# --------------------------------------------------------------------------------------------
# SIGINT: first one finishes the current step, second one aborts at once
# --------------------------------------------------------------------------------------------


class _Interrupts:
    count = 0


def _on_sigint(signum, frame) -> None:  # noqa: ARG001
    _Interrupts.count += 1
    if _Interrupts.count >= 2:
        raise KeyboardInterrupt
    # Returning normally lets an interrupted time.sleep() resume (PEP 475): the step goes on.


def _interrupt_pending() -> bool:
    return _Interrupts.count > 0


# --------------------------------------------------------------------------------------------
# .env (python-dotenv subset) and settings
# --------------------------------------------------------------------------------------------

_DOTENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$")
_INTERPOLATE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def _interpolate(value: str, parsed: dict) -> str:
    def repl(m):
        name, default = m.group(1), m.group(2)
        if name in os.environ:
            return os.environ[name]
        if parsed.get(name) is not None:
            return parsed[name]
        return default or ""

    return _INTERPOLATE.sub(repl, value)


def parse_dotenv(text: str) -> dict:
    """Parse ``KEY=VALUE`` lines: comments, ``export``, single/double quotes, ``${VAR}``."""
    result: dict = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _DOTENV_LINE.match(line)
        if not m:
            continue
        key, rest = m.group(1), m.group(2)
        if rest[:1] in ("'", '"'):
            quote = rest[0]
            body = rest[1:]
            # a quoted value may continue on the following lines
            while not re.search(r"(?<!\\)" + re.escape(quote) + r"\s*(#.*)?$", body) and i < len(lines):
                body += "\n" + lines[i]
                i += 1
            end = body.rfind(quote)
            value = body[:end] if end >= 0 else body
            if quote == '"':
                value = (
                    value.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"').replace("\\\\", "\\")
                )
                value = _interpolate(value, result)
        else:
            value = re.split(r"\s+#", rest, maxsplit=1)[0].strip()
            value = _interpolate(value, result)
        result[key] = value
    return result


def load_dotenv(path: str = ".env") -> bool:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    for key, value in parse_dotenv(text).items():
        if key not in os.environ:
            os.environ[key] = value
    return True


def env(name: str, default=None):
    """Settings are matched case-insensitively, like pydantic-settings."""
    if name in os.environ:
        return os.environ[name]
    lowered = name.lower()
    for key, value in os.environ.items():
        if key.lower() == lowered:
            return value
    return default


# --------------------------------------------------------------------------------------------
# Command line (click-compatible messages and exit codes)
# --------------------------------------------------------------------------------------------


class UsageError(Exception):
    def __init__(self, message: str, command=None):
        super().__init__(message)
        self.message = message
        self.command = command


_VALUE_OPTIONS = {"--path": "path", "--step-n": "step_n", "--loop-n": "loop_n", "--all-duration": "all_duration"}
_INT_OPTIONS = {"step_n", "loop_n"}
_FLAG_OPTIONS = {"--checkout": True, "-c": True, "--no-checkout": False, "-C": False}
_LONG_OPTIONS = ["--path", "--step-n", "--loop-n", "--all-duration", "--checkout", "--no-checkout", "--help"]


def _no_such_option(opt: str, command: str) -> UsageError:
    message = "No such option: %s" % opt
    if opt.startswith("--"):
        close = sorted(difflib.get_close_matches(opt, _LONG_OPTIONS))
        if len(close) == 1:
            message += " Did you mean %s?" % close[0]
        elif close:
            message += " (Possible options: %s)" % ", ".join(close)
    return UsageError(message, command)


def _group_help() -> str:
    lines = ["Usage: rdagent [OPTIONS] COMMAND [ARGS]...", "", "  RD-Agent (simulator).", "", "Options:"]
    lines.append("  --help  Show this message and exit.")
    lines += ["", "Commands:"]
    for name, text in COMMANDS.items():
        lines.append("  %-12s%s" % (name, text))
    return "\n".join(lines) + "\n"


def _command_help(command: str) -> str:
    return "\n".join(
        [
            "Usage: rdagent %s [OPTIONS]" % command,
            "",
            "  " + COMMANDS[command],
            "",
            "Options:",
            "  --path TEXT                     Resume from a session: a trace folder, its",
            "                                  __session__ folder or one snapshot file.",
            "  --step-n INTEGER                Stop after this many (+1) steps.",
            "  --loop-n INTEGER                Stop after this many loops, counted from 0.",
            "  --all-duration TEXT             Time budget, e.g. 3600, 90m, 1.5h, 2d.",
            "  -c, --checkout / -C, --no-checkout",
            "                                  [default: checkout]",
            "  --help                          Show this message and exit.",
            "",
        ]
    )


def parse_args(argv):
    """Return ``(command, options)``, or an ``int`` exit code after printing help."""
    if not argv:
        raise UsageError("Missing command.")
    first = argv[0]
    if first == "--help":
        _write_out(_group_help())
        return 0
    if first.startswith("-"):
        raise UsageError("No such option: %s" % first.split("=", 1)[0])
    if first not in COMMANDS:
        raise UsageError("No such command '%s'." % first)
    command = first
    opts = {"path": None, "step_n": None, "loop_n": None, "all_duration": None, "checkout": True}
    extra = []
    args = list(argv[1:])
    while args:
        arg = args.pop(0)
        if arg == "--":
            extra.extend(args)
            break
        if arg.startswith("--"):
            name, has_value, value = arg.partition("=")
            if name == "--help":
                _write_out(_command_help(command))
                return 0
            if name in _VALUE_OPTIONS:
                if not has_value:
                    if not args:
                        raise UsageError("Option '%s' requires an argument." % name, command)
                    value = args.pop(0)
                key = _VALUE_OPTIONS[name]
                if key in _INT_OPTIONS:
                    try:
                        opts[key] = int(value)
                    except ValueError:
                        raise UsageError(
                            "Invalid value for '%s': '%s' is not a valid integer." % (name, value), command
                        ) from None
                else:
                    opts[key] = value
            elif name in _FLAG_OPTIONS:
                if has_value:
                    raise UsageError("Option '%s' does not take a value." % name, command)
                opts["checkout"] = _FLAG_OPTIONS[name]
            else:
                raise _no_such_option(name, command)
        elif arg.startswith("-") and len(arg) > 1:
            for ch in arg[1:]:
                short = "-" + ch
                if short not in _FLAG_OPTIONS:
                    raise _no_such_option(short, command)
                opts["checkout"] = _FLAG_OPTIONS[short]
        else:
            extra.append(arg)
    if extra:
        raise UsageError(
            "Got unexpected extra argument%s (%s)" % ("s" if len(extra) > 1 else "", " ".join(extra)), command
        )
    return command, opts


# --------------------------------------------------------------------------------------------
# Timer (``--all-duration``), as rdagent/log/timer.py
# --------------------------------------------------------------------------------------------


class Timer:
    PATTERN = re.compile(r"^\s*(\d*\.?\d+)\s*([smhd]?)\s*$")
    UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}

    def __init__(self) -> None:
        self.started = False
        self.all_duration = None
        self.deadline = 0.0

    def reset(self, text: str) -> None:
        match = self.PATTERN.match(text)
        if not match:
            return  # silently no timer, like RD-Agent
        seconds = float(match.group(1)) * self.UNITS[match.group(2)]
        self.all_duration = _dt.timedelta(seconds=seconds)
        self.deadline = time.monotonic() + seconds
        self.started = True
        logger.info("Timer set to %s seconds and counting down." % self.all_duration)

    def restart_by_remain_time(self, remaining_seconds: float, all_duration_seconds) -> None:
        self.started = True
        self.deadline = time.monotonic() + remaining_seconds
        if all_duration_seconds is not None:
            self.all_duration = _dt.timedelta(seconds=all_duration_seconds)
        logger.info("Timer restarted with remaining time: %s" % _dt.timedelta(seconds=remaining_seconds))

    def remaining_seconds(self) -> float:
        return self.deadline - time.monotonic()

    def remain_time(self) -> _dt.timedelta:
        return _dt.timedelta(seconds=self.remaining_seconds())

    def is_timeout(self) -> bool:
        return self.started and time.monotonic() > self.deadline


class LoopTermination(Exception):
    pass


# --------------------------------------------------------------------------------------------
# Sample content (hypotheses, tasks, metrics)
# --------------------------------------------------------------------------------------------

_FACTOR_IDEAS = [
    (
        "Reversal_5D",
        "Five-day price reversal: stocks that fell the most over the past week tend to rebound over the next two days.",
        "-\\frac{close_t - close_{t-5}}{close_{t-5}}",
        {"close_t": "close price on day t", "close_{t-5}": "close price five trading days earlier"},
    ),
    (
        "VolumeSurge_10D",
        "Abnormal volume relative to its ten-day average signals information arrival and short-term drift.",
        "\\frac{volume_t}{\\mathrm{mean}(volume_{t-9..t})} - 1",
        {"volume_t": "traded volume on day t"},
    ),
    (
        "IntradayRange_20D",
        "Stocks with a calmer intraday range over a month carry a low-volatility premium.",
        "-\\mathrm{mean}_{20}\\left(\\frac{high - low}{close}\\right)",
        {"high": "daily high", "low": "daily low", "close": "daily close"},
    ),
    (
        "VWAPGap_1D",
        "A close far above the day's VWAP reflects late buying pressure that partly reverses.",
        "-\\frac{close_t - vwap_t}{vwap_t}",
        {"vwap_t": "volume-weighted average price on day t"},
    ),
    (
        "Momentum_60_5",
        "Medium-term momentum that skips the last week is more persistent than raw momentum.",
        "\\frac{close_{t-5}}{close_{t-60}} - 1",
        {"close_{t-5}": "close five days ago", "close_{t-60}": "close sixty days ago"},
    ),
]

_MODEL_IDEAS = [
    ("GRU_Small", "TimeSeries", "A two-layer GRU over a 20-day window of the features captures short-term dynamics."),
    ("MLP_Residual", "Tabular", "A residual MLP with dropout generalises better than LightGBM on the combined factors."),
    ("TCN_Light", "TimeSeries", "Dilated temporal convolutions see a longer history at the same cost as the GRU."),
]


def _loop_template(kind: str) -> str:
    return "conf_baseline_factors_model.yaml" if kind == "model" else "conf_combined_factors.yaml"


def _csv_value(value) -> str:
    """As pandas' to_csv writes a float: NaN as nothing, infinities as inf."""
    value = float(value)
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def _json_safe(metrics: dict) -> dict:
    """pandas' to_json writes NaN as null: so does RD-Agent's metric event."""
    return {k: (None if isinstance(v, float) and (math.isnan(v) or math.isinf(v)) else v) for k, v in metrics.items()}


def _run_info(template_name: str, ws: Path) -> None:
    """rich's Run Info table of a local qrun, as LocalEnv prints it before the run."""
    rows = [("Entry", "qrun %s" % template_name), ("Local Path", str(ws)), ("Env", "{}"), ("Volumes", "{}")]
    width = max(len(v) for _, v in rows)
    logger.raw("Run Info".center(width + 17))
    logger.raw("\u250f" + "\u2501" * 12 + "\u2533" + "\u2501" * (width + 2) + "\u2513")
    for key, value in rows:
        logger.raw("\u2503 %-10s \u2503 %s \u2503" % (key, value.ljust(width)))
    logger.raw("\u2517" + "\u2501" * 12 + "\u253b" + "\u2501" * (width + 2) + "\u251b")


def _code(kind: str, task: dict, evo: int) -> str:
    """What CoSTEER writes for a task: a factor.py computing the factor into result.h5, or a model.py."""
    name = task["name"]
    if kind == "model":
        hidden = 64 if evo == 0 else 128
        return (
            '"""%s: %s"""\n'
            "import torch\n"
            "from torch import nn\n\n\n"
            "class Net(nn.Module):\n"
            "    def __init__(self, num_features, num_timesteps=20):\n"
            "        super().__init__()\n"
            "        self.rnn = nn.GRU(num_features, %d, num_layers=2, batch_first=True, dropout=0.1)\n"
            "        self.head = nn.Linear(%d, 1)\n\n"
            "    def forward(self, x):\n"
            "        out, _ = self.rnn(x)\n"
            "        return self.head(out[:, -1, :]).squeeze(-1)\n\n\n"
            "model_cls = Net\n" % (name, task["description"], hidden, hidden)
        )
    window = 5 if evo == 0 else 10
    return (
        '"""%s: %s"""\n'
        "import pandas as pd\n\n\n"
        "def calculate_%s():\n"
        '    df = pd.read_hdf("daily_pv.h5", key="data")\n'
        '    close = df["$close"].unstack("instrument")\n'
        "    value = -(close / close.shift(%d) - 1)\n"
        '    result = value.stack().rename("%s").to_frame()\n'
        '    result.to_hdf("result.h5", key="data")\n\n\n'
        'if __name__ == "__main__":\n'
        "    calculate_%s()\n" % (name, task["description"], name, window, name, name)
    )


def _hypothesis(kind: str, li: int) -> dict:
    if kind == "model":
        name, model_type, text = _MODEL_IDEAS[li % len(_MODEL_IDEAS)]
        return {
            "hypothesis": text,
            "reason": "The factor set is stable; the remaining gain should come from how the features are combined (%s)."
            % model_type.lower(),
            "concise_reason": "Richer model -> better use of existing factors",
            "concise_justification": "Non-linear interactions between factors are not captured by the current model.",
            "concise_observation": "IC plateaued over the last factor rounds.",
            "concise_knowledge": "If the factor set stops improving IC, then a better model may still lift returns.",
        }
    name, text, _, _ = _FACTOR_IDEAS[li % len(_FACTOR_IDEAS)]
    return {
        "hypothesis": text,
        "reason": "Round %d: test a simple, well-documented anomaly (%s) before more complex ones." % (li, name),
        "concise_reason": "Known anomaly -> measurable IC",
        "concise_justification": "Behavioural over- and under-reaction leave short-horizon price patterns.",
        "concise_observation": "The baseline features leave this effect largely untouched."
        if li
        else "No experiment has run yet.",
        "concise_knowledge": "If a price pattern is driven by investor behaviour, then it shows up in short-horizon IC.",
    }


def _tasks(kind: str, li: int) -> list:
    if kind == "model":
        name, model_type, text = _MODEL_IDEAS[li % len(_MODEL_IDEAS)]
        return [
            {
                "name": name,
                "description": text,
                "formulation": "\\hat{y}_t = f_\\theta(x_{t-19..t})"
                if model_type == "TimeSeries"
                else "\\hat{y}_t = f_\\theta(x_t)",
                "variables": {"x_t": "feature vector of one instrument on day t", "\\hat{y}_t": "predicted return"},
                "model_type": model_type,
            }
        ]
    out = []
    for k in range(2 if li else 1):
        name, text, formula, variables = _FACTOR_IDEAS[(li + k) % len(_FACTOR_IDEAS)]
        out.append({"name": name, "description": text, "formulation": formula, "variables": variables})
    return out


_CHATTER_WORDS = (
    "factor momentum reversal volume turnover volatility liquidity ranking signal alpha residual "
    "cross-sectional normalisation window rolling mean median quantile drawdown benchmark excess "
    "return information ratio hypothesis evidence observation backtest portfolio dropout topk "
    "instrument calendar feature label LightGBM GRU layer dropout epoch validation overfitting "
    "the a of to and in that is for we should consider next round because therefore"
).split()


def _chatter_block(size: int = 1 << 20) -> bytes:
    rng = random.Random(20240101)
    lines = []
    total = 0
    while total < size:
        words = []
        length = 0
        target = rng.randint(90, 110)
        while length < target:
            w = rng.choice(_CHATTER_WORDS)
            words.append(w)
            length += len(w) + 1
        line = " ".join(words) + ".\n"
        lines.append(line)
        total += len(line)
    return "".join(lines).encode("ascii")


# --------------------------------------------------------------------------------------------
# The loop
# --------------------------------------------------------------------------------------------



def _experiment_modules():
    # Imported (not cached) each time: TEMPLATE_DIR comes from the module's own __file__.
    from rdagent.scenarios.qlib.experiment import factor_experiment, model_experiment

    return factor_experiment, model_experiment


def _template_path(name: str) -> Path:
    factor_experiment, model_experiment = _experiment_modules()
    if name in factor_experiment.TEMPLATE_FILES:
        return factor_experiment.TEMPLATE_DIR / name
    return model_experiment.TEMPLATE_DIR / name


def _utc_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat()


def _float_env(name: str, default: float) -> float:
    try:
        return max(float(os.environ.get(name, "")), 0.0)
    except ValueError:
        return default


class Simulator:
    def __init__(self, command: str, opts: dict, argv) -> None:
        self.command = command
        self.opts = opts
        self.argv = list(argv)
        self.cwd = Path.cwd()
        default_trace = str(self.cwd / "log" / _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d_%H-%M-%S-%f"))
        self.trace_path = env("LOG_TRACE_PATH") or default_trace
        self.workspace_path = env("WORKSPACE_PATH") or str(self.cwd / "git_ignore_folder" / "RD-Agent_workspace")
        self.session_folder = Path(self.trace_path) / "__session__"
        self.step_seconds = _float_env("RDAGENT_SIM_STEP_SECONDS", 1.0)
        self.hold_file = os.environ.get("RDAGENT_SIM_HOLD_FILE") or None
        self.no_results = bool(os.environ.get("RDAGENT_SIM_NO_RESULTS"))
        try:
            self.log_bytes = max(int(float(os.environ.get("RDAGENT_SIM_LOG_BYTES", "0") or 0)), 0)
        except ValueError:
            self.log_bytes = 0
        self.fail_at = self._parse_fail_at(os.environ.get("RDAGENT_SIM_FAIL_AT", ""))
        self.nan_loops = self._parse_loops(os.environ.get("RDAGENT_SIM_NAN_METRICS", ""))
        self.ui_port = env("LOG_UI_SERVER_PORT")
        self.timer = Timer()
        self.pbar = ProgressBar(len(STEPS))
        self.child = None
        self.container = None
        self.chatter = None
        self.loop_n = opts.get("loop_n")
        self.step_n = opts.get("step_n")
        self.completed_loops = 0
        self.loop_exception = None  # skip-loop error of the current loop, for the feedback step
        self.current_workspace = None
        self.research = Research(env, lambda name: _template_path(name).read_text(encoding="utf-8", errors="replace"))

    # ---------------------------------------------------------------- setup

    @staticmethod
    def _parse_fail_at(text: str):
        text = text.strip()
        if not text:
            return None
        li, _, step = text.partition(":")
        try:
            loop_index = int(li)
            step = step.strip()
            step_index = int(step) if step.isdigit() else STEPS.index(step)
        except ValueError:
            logger.warning("Ignoring RDAGENT_SIM_FAIL_AT=%s (expected loop:step)" % text)
            return None
        return loop_index, step_index

    @staticmethod
    def _parse_loops(text: str):
        """``all`` (every loop), or comma-separated loop indices; ``None`` means every loop."""
        text = text.strip()
        if not text:
            return set()
        if text == "all":
            return None
        try:
            return {int(part) for part in text.split(",") if part.strip()}
        except ValueError:
            logger.warning("Ignoring RDAGENT_SIM_NAN_METRICS=%s (expected loop indices or all)" % text)
            return set()

    def _nan_metrics(self, li: int) -> bool:
        return self.nan_loops is None or li in self.nan_loops

    def _print_preamble(self) -> None:
        logger.info("Simulator command line: rdagent %s" % " ".join(self.argv))
        logger.info("Working directory: %s" % self.cwd)
        logger.info("LOG_TRACE_PATH=%s" % self.trace_path)
        logger.info("WORKSPACE_PATH=%s" % self.workspace_path)
        logger.info(
            "LLM settings: backend=%s chat_model=%s embedding_model=%s api_base=%s api_key=%s"
            % (
                env("BACKEND", "<unset>"),
                env("CHAT_MODEL", "<unset>"),
                env("EMBEDDING_MODEL", "<unset>"),
                env("OPENAI_API_BASE", "<unset>"),
                "<set>" if env("OPENAI_API_KEY") else "<unset>",
            )
        )
        for prefix in ("QLIB_FACTOR_", "QLIB_MODEL_"):
            parts = []
            for seg in ("TRAIN", "VALID", "TEST"):
                parts.append(
                    "%s=%s..%s"
                    % (seg.lower(), env(prefix + seg + "_START", "<unset>"), env(prefix + seg + "_END", "<unset>"))
                )
            logger.info("%ssettings: %s" % (prefix, " ".join(parts)))
        # what fin_quant's own settings say (QuantBasePropSetting); no secrets among them
        parts = ["%s=%s" % (name.lower(), env("QLIB_QUANT_" + name, "<unset>"))
                 for name in ("ACTION_SELECTION", "KNOWLEDGE_BASE", "KNOWLEDGE_BASE_PATH")]
        for seg in ("TRAIN", "VALID", "TEST"):
            parts.append(
                "%s=%s..%s"
                % (seg.lower(), env("QLIB_QUANT_" + seg + "_START", "<unset>"), env("QLIB_QUANT_" + seg + "_END", "<unset>"))
            )
        logger.info("QLIB_QUANT_settings: %s" % " ".join(parts))
        if os.environ.get("RDAGENT_SIM_SPAWN_CHILD"):
            self.child = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "import signal,time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(3600)",
                ]
            )
            logger.info("Spawned child pid=%d" % self.child.pid)
        if os.environ.get("RDAGENT_SIM_DOCKER"):
            self._start_container()
        factor_experiment, model_experiment = _experiment_modules()
        for module in (factor_experiment, model_experiment):
            for name in module.TEMPLATE_FILES:
                self._describe_template(module.TEMPLATE_DIR / name)

    def _start_container(self) -> None:
        image = os.environ.get("RDAGENT_SIM_DOCKER_IMAGE") or "rdagent-sim-busybox:latest"
        workspace = Path(self.workspace_path)
        workspace.mkdir(parents=True, exist_ok=True)
        argv = ["docker", "run", "--detach", "--label", "rdagent-simulator=1",
                "--volume", "%s:/workspace/qlib_workspace" % workspace, image, "sleep", "3600"]
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True)
        if done.returncode != 0:
            raise RuntimeError("Docker container failed to start: %s" % done.stderr.strip())
        self.container = done.stdout.strip()
        logger.info("Docker container %s started: image %s, %s mounted" % (self.container[:12], image, workspace))

    def _remove_container(self) -> None:
        if self.container is None:
            return
        subprocess.run(["docker", "rm", "--force", self.container], stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        logger.info("Docker container %s removed" % self.container[:12])
        self.container = None

    @staticmethod
    def _describe_template(path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            logger.warning("Template %s not found path=%s" % (path.name, path))
            return
        text = data.decode("utf-8", errors="replace")
        market = re.search(r"^market:\s*(?:&\S+\s+)?([^\s#]+)", text, re.M)
        provider = re.search(r"^\s*provider_uri:\s*(\"[^\"]*\"|'[^']*'|[^\s#]+)", text, re.M)
        provider_uri = provider.group(1).strip("\"'") if provider else ""
        logger.info(
            "Template %s sha256=%s market=%s provider_uri=%s path=%s"
            % (path.name, hashlib.sha256(data).hexdigest(), market.group(1) if market else "", provider_uri, path)
        )
        # the values a user is likely to tune, as written in the template this run reads
        values = []
        for key in ("topk", "n_drop", "learning_rate", "lr", "n_epochs", "num_leaves"):
            found = re.search(r"^\s*%s:\s*([^\s#]+)" % key, text, re.M)
            if found:
                values.append("%s=%s" % (key, found.group(1)))
        logger.info("Template %s values: %s" % (path.name, " ".join(values)))

    # ---------------------------------------------------------------- sessions

    def _latest_snapshot(self, path: Path) -> Path:
        if path.is_dir():
            folder = path if path.name == "__session__" else path / "__session__"
            files = []
            if folder.is_dir():
                for f in folder.glob("*/*_*"):
                    if f.is_file() and f.parent.name.isdigit() and re.match(r"^\d+_\w+$", f.name):
                        files.append(f)
            if not files:
                raise FileNotFoundError("No session file found in %s" % folder)
            files.sort(key=lambda f: (int(f.parent.name), int(f.name.split("_")[0])))
            return files[-1]
        return path

    def _resume(self, path_text: str):
        snapshot = self._latest_snapshot(Path(path_text))
        logger.info("Loading latest session from %s" % snapshot)
        with open(snapshot, encoding="utf-8") as fh:
            state = json.load(fh)
        if state.get("format") != SESSION_FORMAT:
            raise ValueError("%s is not a session snapshot of this simulator" % snapshot)
        self.session_folder = snapshot.parent.parent
        if state.get("scenario") in COMMANDS:
            self.command = state["scenario"]
        if self.opts["checkout"]:
            self._truncate_session(state["loop_idx"], state["step_idx"])
            logger.info("Checkout session to %s" % self.session_folder.parent)
        if self.loop_n is None:
            self.loop_n = state.get("loop_n_remaining")
        self.completed_loops = int(state.get("completed_loops", 0))
        self.loop_exception = state.get("loop_exception")
        timer = state.get("timer") or {}
        if timer.get("started"):
            self.timer.restart_by_remain_time(float(timer.get("remaining_seconds", 0.0)), timer.get("all_duration_seconds"))
        return int(state["next_loop_idx"]), int(state["next_step_idx"])

    def _truncate_session(self, li: int, si: int) -> None:
        if not self.session_folder.is_dir():
            return
        for f in list(self.session_folder.glob("*/*_*")):
            if not (f.parent.name.isdigit() and re.match(r"^\d+_\w+$", f.name)):
                continue
            if (int(f.parent.name), int(f.name.split("_")[0])) > (li, si):
                f.unlink()
        for d in self.session_folder.iterdir():
            if d.is_dir() and d.name.isdigit() and not any(d.iterdir()):
                d.rmdir()

    def _dump(self, li: int, si: int, next_li: int, next_si: int) -> None:
        folder = self.session_folder / str(li)
        folder.mkdir(parents=True, exist_ok=True)
        state = {
            "format": SESSION_FORMAT,
            "scenario": self.command,
            "loop_idx": li,
            "step_idx": si,
            "step_name": STEPS[si],
            "next_loop_idx": next_li,
            "next_step_idx": next_si,
            "next_step_name": STEPS[next_si],
            "completed_loops": self.completed_loops,
            "loop_n_remaining": None if self.loop_n is None else self.loop_n - (li + 1),
            "loop_exception": self.loop_exception if next_li == li else None,
            "timer": {
                "started": self.timer.started,
                "all_duration_seconds": self.timer.all_duration.total_seconds() if self.timer.all_duration else None,
                "remaining_seconds": self.timer.remaining_seconds() if self.timer.started else None,
            },
            "trace_path": str(self.session_folder.parent),
            "workspace_path": self.workspace_path,
            "experiment_workspace": str(self.current_workspace) if self.current_workspace else None,
            "saved_at": _utc_iso(),
        }
        tmp = folder / (".tmp-%s" % uuid.uuid4().hex)
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(state, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / ("%d_%s" % (si, STEPS[si])))

    # ---------------------------------------------------------------- side channels

    def _post(self, li: int, tag: str, content) -> None:
        if not self.ui_port:
            return
        url = "http://localhost:%s" % self.ui_port
        payload = {
            "id": str(self.trace_path),
            "msg": {"tag": tag, "timestamp": _utc_iso(), "loop_id": str(li), "content": content},
        }
        try:
            req = urllib.request.Request(
                url + "/receive",
                data=json.dumps(payload).encode("utf-8"),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(req, timeout=1) as resp:
                resp.read()
        except KeyboardInterrupt:
            raise
        except Exception:
            _write_out("Failed to connect to the web storage server at %s\n" % url)

    def _extra_output(self) -> None:
        if self.log_bytes <= 0:
            return
        if self.chatter is None:
            self.chatter = _chatter_block()
        block = self.chatter
        full, rest = divmod(self.log_bytes, len(block))
        try:
            sys.stdout.flush()
            out = sys.stdout.buffer
            for _ in range(full):
                out.write(block)
            if rest:
                part = block[:rest]
                out.write(part[:-1] + b"\n")
            out.flush()
        except (BrokenPipeError, ValueError, AttributeError):
            pass

    def _sleep(self) -> None:
        if self.step_seconds > 0:
            time.sleep(self.step_seconds)  # a first SIGINT does not cut this short (handler returns)
        while self.hold_file and os.path.exists(self.hold_file):
            time.sleep(0.1)

    def _llm_cost(self, li: int, si: int, calls: int = 1) -> None:
        """RD-Agent's LiteLLM backend after each chat call: the cost line, then a ``token_cost`` record in the trace
        folder. The coding step's calls go to RDAGENT_SIM_CODER_MODEL (as LITELLM chat_model_map would route them),
        which LiteLLM cannot price: its cost is NaN, and so is every accumulated cost after it, as in RD-Agent."""
        global ACC_COST
        step = STEPS[si]
        coder = env("RDAGENT_SIM_CODER_MODEL", "deepseek-v3-gateway")
        model = (coder if step == "coding" else None) or env("CHAT_MODEL") or "gpt-4o"
        for k in range(calls):
            rng = random.Random("cost-%s-%d-%d-%d" % (os.environ.get("RDAGENT_SIM_SEED", "0"), li, si, k))
            prompt_tokens = rng.randint(800, 6000)
            completion_tokens = rng.randint(100, 1500)
            price = LITELLM_PRICES.get(model)
            cost = (prompt_tokens * price[0] + completion_tokens * price[1]) / 1e6 if price else float("nan")
            ACC_COST += cost
            logger.info("Current Cost: $%.10f; Accumulated Cost: $%.10f; finish_reason='stop'" % (cost, ACC_COST))
            self._log_object(li, step, "token_cost", {
                "model": model,
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "cost": cost,
                "accumulated_cost": ACC_COST,
            })

    # ---------------------------------------------------------------- steps

    def kind(self, li: int) -> str:
        return self.research.kind(self.command, li)

    def step_direct_exp_gen(self, li: int) -> None:
        kind = self.kind(li)
        self._sleep()
        hypo = _hypothesis(kind, li)
        tasks = _tasks(kind, li)
        self._llm_cost(li, 0, calls=2)
        logger.info("Action: %s" % kind)
        logger.info("Hypothesis: %s" % hypo["hypothesis"])
        for t in tasks:
            logger.info("Task: %s - %s" % (t["name"], t["description"]))
        self._log_object(li, "direct_exp_gen", "hypothesis generation", dict(hypo, action=kind))
        self._log_object(li, "direct_exp_gen", "experiment generation", tasks)
        self._post(li, "research.hypothesis", hypo)
        self._post(li, "research.tasks", tasks)

    def step_coding(self, li: int) -> None:
        kind = self.kind(li)
        self._sleep()
        tasks = _tasks(kind, li)
        fname = "model.py" if kind == "model" else "factor.py"
        for evo in range(2):
            logger.info("evolving %s code: round %d" % (kind, evo))
            codes = [
                {"evo_id": evo, "target_task_name": t["name"], "workspace": {fname: _code(kind, t, evo)}}
                for t in tasks
            ]
            self._log_object(li, "coding", "evo_loop_%d.evolving code" % evo, codes)
            self._post(li, "evolving.codes", codes)
        self._llm_cost(li, 1, calls=2)
        # sub-task workspaces are separate folders next to the Qlib experiment workspaces
        for t in tasks:
            ws = Path(self.workspace_path) / uuid.uuid4().hex
            ws.mkdir(parents=True, exist_ok=True)
            (ws / fname).write_text(_code(kind, t, 1), encoding="utf-8")

    def _sota_before(self, li: int):
        """The last accepted result before loop li (at first, the baseline's): replayed, so a resumed run decides
        as the first one did."""
        sota = None
        if self.command != "fin_model" and not self.no_results:
            sota = self.research.metrics(0, "factor", "conf_baseline.yaml", baseline=True, lightgbm=True)
        for j in range(li):
            result = self._result(j)
            if result is not None and self.research.decide(j, result, sota)[0]:
                sota = result
        return sota

    def _result(self, li: int):
        if self.no_results or self.research.outcome(li) == "failed":
            return None
        kind = self.kind(li)
        return self.research.metrics(li, kind, _loop_template(kind), lightgbm=(kind == "factor"))

    def _experiment(self, li: int, kind: str, template_name: str, baseline: bool) -> None:
        """One Qlib experiment workspace, as RD-Agent's runner prepares and runs it."""
        source = _template_path(template_name)
        ws = Path(self.workspace_path) / uuid.uuid4().hex
        ws.mkdir(parents=True, exist_ok=True)
        self.current_workspace = ws
        for name in sorted(os.listdir(source.parent)):  # the whole template folder, as QlibFBWorkspace injects it
            if (source.parent / name).is_file():
                shutil.copyfile(str(source.parent / name), str(ws / name))
        if kind == "model":
            task = _tasks(kind, li)[0]
            (ws / "model.py").write_text(_code(kind, task, 1), encoding="utf-8")
        with open(source, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()
        logger.info("Experiment workspace %s template=%s sha256=%s" % (ws, template_name, digest))
        _run_info(template_name, ws)
        logger.raw("[%d:MainThread](%s) INFO - qlib.Initialization - qrun %s (simulated)" % (os.getpid(), _dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S,%f")[:-3], template_name))
        self._sleep()
        if self.no_results or (not baseline and self.research.outcome(li) == "failed"):
            logger.error("No result file found.")
            (ws / "qrun.log").write_text("ValueError: input contains NaN or infinity (simulated)\n", encoding="utf-8")
            self.loop_exception = "Failed to run this experiment, because No result file found."
            logger.warning("Skip loop %d due to %s" % (li, self.loop_exception))
            return None
        metrics = self.research.metrics(li, kind, template_name, baseline=baseline, lightgbm=(kind == "factor"))
        if self._nan_metrics(li):
            # what a broken backtest leaves: no usable number, yet a value that would win if read as one
            forms = (float("nan"), float("inf"), float("-inf"))
            metrics = {k: forms[i % len(forms)] for i, k in enumerate(metrics)}
            metrics["IC"] = float("nan")
            metrics["1day.excess_return_with_cost.annualized_return"] = float("inf")
        lines = [",0"] + ["%s,%s" % (k, _csv_value(v)) for k, v in metrics.items()]
        tmp = ws / ".qlib_res.csv.tmp"
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(tmp, ws / "qlib_res.csv")
        self._write_ret_pkl(ws, li, kind, metrics, baseline)
        logger.info(
            "Result: IC=%.6f annualized_return=%.6f max_drawdown=%.6f"
            % (
                metrics["IC"],
                metrics["1day.excess_return_with_cost.annualized_return"],
                metrics["1day.excess_return_with_cost.max_drawdown"],
            )
        )
        return metrics

    def step_running(self, li: int) -> None:
        kind = self.kind(li)
        if kind == "factor" and li == 0 and self.command != "fin_model":
            # no SOTA yet: RD-Agent first runs the baseline features alone, in a workspace of their own
            logger.info("Baseline experiment execution ...")
            if self._experiment(li, "factor", "conf_baseline.yaml", baseline=True) is None:
                return
        if kind == "model":
            logger.info("start to run %s model" % _tasks(kind, li)[0]["name"])
        else:
            logger.info("New factor processing ...")
            logger.info("Factor data processing completed.")
            logger.info("Experiment execution ...")
        metrics = self._experiment(li, kind, _loop_template(kind), baseline=False)
        if metrics is None:
            return
        self._log_object(li, "running", "runner result",
                         {"workspace_path": str(self.current_workspace), "result": _json_safe(metrics)})
        self._post(li, "feedback.metric", {"result": json.dumps(_json_safe(metrics))})

    def _write_ret_pkl(self, ws: Path, li: int, kind: str, metrics: dict, baseline: bool) -> None:
        try:
            import pandas as pd  # optional
        except Exception:
            logger.info("pandas is not available: ret.pkl not written (simulator)")
            return
        prefix = "QLIB_MODEL_" if kind == "model" else "QLIB_FACTOR_"
        try:
            start = pd.Timestamp(env(prefix + "TEST_START") or "2019-01-01")
            end = pd.Timestamp(env(prefix + "TEST_END") or "2020-12-31")
            if end < start:
                raise ValueError("test_end before test_start")
        except Exception:
            start, end = pd.Timestamp("2019-01-01"), pd.Timestamp("2020-12-31")
        dates = pd.bdate_range(start, end)
        if len(dates) == 0:
            dates = pd.bdate_range("2019-01-01", "2020-12-31")
        account = 100000000.0
        total_turnover = 0.0
        total_cost = 0.0
        cols = {k: [] for k in ("account", "return", "total_turnover", "turnover", "total_cost", "cost", "value", "cash", "bench")}
        for ret, cost, bench, turnover in self.research.daily(li, kind, metrics, len(dates), baseline):
            traded = account * turnover
            total_turnover += traded
            total_cost += traded * 0.002
            account = account * (1.0 + ret - cost)
            value = account * 0.96
            for k, v in (
                ("account", account),
                ("return", ret),
                ("total_turnover", total_turnover),
                ("turnover", turnover),
                ("total_cost", total_cost),
                ("cost", cost),
                ("value", value),
                ("cash", account - value),
                ("bench", bench),
            ):
                cols[k].append(v)
        frame = pd.DataFrame(cols, index=pd.DatetimeIndex(dates, name="datetime"))
        frame.to_pickle(str(ws / "ret.pkl"))
        logger.info("Wrote ret.pkl (%d rows)" % len(frame))

    def step_feedback(self, li: int) -> None:
        self._sleep()
        logger.info("Generating feedback...")
        self._llm_cost(li, 3)
        exc = self.loop_exception
        kind = self.kind(li)
        result = None if exc else self._result(li)
        decision, reason = self.research.decide(li, result, self._sota_before(li))
        decision = decision and exc is None
        content = {
            "observations": "The experiment failed before producing results."
            if exc
            else "Loop %d %s experiment finished; IC and annualized return were compared with the SOTA." % (li, kind),
            "hypothesis_evaluation": "Supported: the new result beats the current SOTA."
            if decision
            else "Not supported: no improvement over the current SOTA.",
            "new_hypothesis": _hypothesis(self.kind(li + 1), li + 1)["hypothesis"],
            "decision": decision,
            "reason": reason if not exc else "The experiment failed: %s" % exc,
            "exception": exc,
        }
        logger.info("Decision: %s" % decision)
        self._log_object(li, "feedback", "feedback", content)
        self._post(li, "feedback.hypothesis_feedback", content)

    def _log_object(self, li: int, step: str, tag: str, obj) -> None:
        """RD-Agent's log folder: Loop_<li>/<step>/<tag>/<pid>/<UTC time>.pkl (plain data here, not its classes)."""
        folder = Path(self.trace_path) / ("Loop_%d" % li) / step / tag.replace(".", "/") / str(os.getpid())
        try:
            folder.mkdir(parents=True, exist_ok=True)
            stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d_%H-%M-%S-%f")
            with open(folder / (stamp + ".pkl"), "wb") as fh:
                pickle.dump(obj, fh)
        except OSError:
            pass

    def step_record(self, li: int) -> None:
        self._sleep()
        logger.info("Recording loop %d in the trace." % li)

    # ---------------------------------------------------------------- driver

    def _run_step(self, li: int, si: int) -> None:
        name = STEPS[si]
        logger.info("Start Loop %d, Step %d: %s" % (li, si, name))
        if self.fail_at == (li, si):
            logger.warning("litellm.APIConnectionError: OpenAIException - Connection error.")
            logger.warning("Retrying 1th time...")
            raise RuntimeError(FAIL_MESSAGE)
        self._extra_output()
        getattr(self, "step_" + name)(li)

    def _check_exit_conditions(self) -> None:
        if self.step_n is not None:
            if self.step_n <= 0:
                raise LoopTermination("Step count reached")
            self.step_n -= 1
        if self.timer.started:
            if self.timer.is_timeout():
                logger.warning("Timeout, exiting the loop.")
                raise LoopTermination("Timer timeout")
            logger.info("Timer remaining time: %s" % self.timer.remain_time())

    def _kill_subprocesses(self) -> None:
        if self.child is None or self.child.poll() is not None:
            return
        logger.info("Terminating subprocess PID %d" % self.child.pid)
        self.child.terminate()
        try:
            self.child.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self.child.kill()
        logger.info("Finished killing subprocesses.")

    def run(self) -> int:
        interrupted = False
        try:
            return self._run()
        except KeyboardInterrupt:
            interrupted = True
            raise
        finally:
            self.pbar.close()
            if not interrupted:
                self._remove_container()

    def _run(self) -> int:
        self._print_preamble()
        li, si = 0, 0
        if self.opts.get("path"):
            li, si = self._resume(self.opts["path"])
        if self.opts.get("all_duration") is not None and not self.timer.started:
            self.timer.reset(self.opts["all_duration"])
        try:
            while True:
                if _interrupt_pending():
                    raise KeyboardInterrupt
                if self.loop_n is not None and li >= self.loop_n:
                    break
                self.pbar.reset(si)
                self.pbar.set_postfix(li, si, STEPS[si])
                self.pbar.render()
                while si < len(STEPS):
                    if si == 0:
                        self.loop_exception = None
                        self.current_workspace = None
                    self._run_step(li, si)
                    next_li, next_si = (li, si + 1) if si + 1 < len(STEPS) else (li + 1, 0)
                    if next_li != li:
                        self.completed_loops = max(self.completed_loops, li + 1)
                    self.pbar.update(1)
                    self.pbar.set_postfix(next_li, next_si, STEPS[next_si])
                    self.pbar.render()
                    self._dump(li, si, next_li, next_si)
                    if _interrupt_pending():
                        raise KeyboardInterrupt
                    self._check_exit_conditions()
                    si += 1
                li, si = li + 1, 0
        except LoopTermination as exc:
            logger.warning("Reach stop criterion and stop loop: %s" % exc)
            self._kill_subprocesses()
        logger.info("Simulator finished: %d loops" % self.completed_loops)
        return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    signal.signal(signal.SIGINT, _on_sigint)
    try:
        parsed = parse_args(argv)
    except UsageError as exc:
        if exc.command:
            prog, usage = "rdagent %s" % exc.command, "Usage: rdagent %s [OPTIONS]" % exc.command
        else:
            prog, usage = "rdagent", "Usage: rdagent [OPTIONS] COMMAND [ARGS]..."
        _write_err("%s\nTry '%s --help' for help.\n\nError: %s\n" % (usage, prog, exc.message))
        return 2
    if isinstance(parsed, int):
        return parsed
    command, opts = parsed
    load_dotenv(".env")
    sim = Simulator(command, opts, argv)
    try:
        return sim.run()
    except KeyboardInterrupt:
        _write_err("Aborted!\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
