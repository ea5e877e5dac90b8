"""The simulator's research: what a loop finds, as a deterministic function of what a real run depends on.

Nothing here is random between two runs of the same task: every number comes from a generator seeded by the
dataset's symbols, the backtest dates, the template values (``topk``, ``n_drop``, the model's hyper-parameters),
the evolving mode, ``RDAGENT_SIM_SEED`` and the loop. So two tasks that differ only in ``topk`` differ, and a rerun
repeats its numbers. The spreads are those of daily-frequency A-share research: IC around 0.01–0.06, annualized
excess return net of cost around -10 %..+25 %, drawdowns of a few to twenty per cent. Some loops fail to run, some
give a NaN IC (a model that predicts a constant), and RD-Agent's feedback, which weighs IC over the backtest,
sometimes rejects the loop with the best return.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import re
from pathlib import Path

DAYS_PER_YEAR = 238
HEADLINE = ("IC", "ICIR", "Rank IC", "Rank ICIR")


def _number(text: str, key: str, default: float) -> float:
    match = re.search(r"^\s*%s:\s*([0-9.eE+-]+)\s*(?:#.*)?$" % re.escape(key), text, re.M)
    if not match:
        return default  # absent, or a {{ placeholder }} qrun fills from the model task
    try:
        return float(match.group(1))
    except ValueError:
        return default


def _years(start: str, end: str) -> float:
    try:
        y0, m0, d0 = (int(x) for x in start.split("-"))
        y1, m1, d1 = (int(x) for x in end.split("-"))
        return max((y1 - y0) + (m1 - m0) / 12.0 + (d1 - d0) / 365.0, 0.25)
    except ValueError:
        return 2.0


class Research:
    """One run's world: the universe, the period, the strategy, and how the agent explores."""

    def __init__(self, env, template_text) -> None:
        """``env(name, default)`` reads settings; ``template_text(name)`` the text of a template the run uses."""
        self.env = env
        self.template_text = template_text
        self.seed = env("RDAGENT_SIM_SEED", "0") or "0"
        self.mode = (env("QLIB_QUANT_ACTION_SELECTION", "bandit") or "bandit").lower()
        forced = env("RDAGENT_SIM_NAN", "") or ""
        self.forced_nan = [m.strip() for m in forced.split(",") if m.strip()]
        factor = template_text("conf_baseline.yaml")
        self.market, self.symbols = self._universe(factor)
        self.key = "|".join(
            [
                self.seed,
                self.mode,
                self.market,
                hashlib.sha256("\n".join(self.symbols).encode()).hexdigest(),
                self._dates("QLIB_FACTOR_"),
                self._dates("QLIB_MODEL_"),
            ]
        )

    # ---------------------------------------------------------------- the world

    def _dates(self, prefix: str) -> str:
        return ",".join(
            self.env(prefix + part, "") or ""
            for part in ("TRAIN_START", "TRAIN_END", "VALID_START", "VALID_END", "TEST_START", "TEST_END")
        )

    def _universe(self, template: str):
        market = re.search(r"^market:\s*(?:&\S+\s+)?([^\s#]+)", template, re.M)
        provider = re.search(r"^\s*provider_uri:\s*(\"[^\"]*\"|'[^']*'|[^\s#]+)", template, re.M)
        name = market.group(1) if market else "csi300"
        symbols = []
        if provider:
            path = Path(os.path.expanduser(provider.group(1).strip("\"'"))) / "instruments" / (name + ".txt")
            try:
                for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                    cell = line.strip().split("\t")[0].strip().upper()
                    if cell and not cell.startswith("#"):
                        symbols.append(cell)
            except OSError:
                pass
        return name, sorted(set(symbols)) or ["SH600000"]

    def rng(self, *parts) -> random.Random:
        return random.Random(hashlib.sha256(("%s|%s" % (self.key, "|".join(map(str, parts)))).encode()).hexdigest())

    def test_years(self, kind: str) -> float:
        prefix = "QLIB_MODEL_" if kind == "model" else "QLIB_FACTOR_"
        return _years(self.env(prefix + "TEST_START", "2019-01-01") or "2019-01-01",
                      self.env(prefix + "TEST_END", "2020-12-31") or "2020-12-31")

    # ---------------------------------------------------------------- the agent

    def kind(self, command: str, li: int) -> str:
        """factor or model: what the loop works on, as the evolving mode picks it."""
        if command == "fin_factor":
            return "factor"
        if command == "fin_model":
            return "model"
        if li == 0:
            return "factor"
        if self.mode == "llm":
            return "factor" if li % 2 == 1 else "model"
        if self.mode == "random":
            return "model" if self.rng("action", li).random() < 0.5 else "factor"
        # bandit: models are tried less often while factors keep paying
        return "model" if self.rng("action", li).random() < 0.35 else "factor"

    def outcome(self, li: int) -> str:
        """ok, failed (no result file) or nan (a constant prediction); the first loop always runs cleanly."""
        if li == 0:
            return "ok"
        draw = self.rng("outcome", li).random()
        if draw < 0.07:
            return "failed"
        if draw < 0.13:
            return "nan"
        return "ok"

    # ---------------------------------------------------------------- the numbers

    def metrics(self, li: int, kind: str, template: str, baseline: bool = False, lightgbm: bool = False) -> dict:
        text = self.template_text(template)
        topk = max(_number(text, "topk", 50), 1)
        n_drop = max(min(_number(text, "n_drop", 5), topk), 0)
        n = max(len(self.symbols), int(topk) + 1)
        rng = self.rng("metrics", li, kind, "baseline" if baseline else "experiment")
        regime = self.rng("regime", self._dates("QLIB_MODEL_" if kind == "model" else "QLIB_FACTOR_"))
        market_drift = regime.gauss(0.0, 0.03)

        # the signal: research gets a little better over the loops, a larger universe estimates IC more steadily
        skill = 0.0 if baseline else 0.25 * math.log1p(li) + rng.gauss(0.0, 0.8)
        ic_noise = 0.008 * math.sqrt(300.0 / max(len(self.symbols), 10))
        ic = 0.024 + 0.007 * skill + rng.gauss(0.0, min(ic_noise, 0.02))
        if kind == "model" and not baseline:
            epochs = _number(text, "n_epochs", 100)
            lr = _number(text, "lr", 0.001)
            batch = _number(text, "batch_size", 256)
            fit = 1.0 - 0.18 * abs(math.log10(max(epochs, 1) / 60.0)) - 0.05 * abs(math.log2(max(batch, 1) / 512.0))
            fit -= 0.08 * abs(math.log10(max(lr, 1e-6) / 0.001))
            ic *= max(fit, 0.3)
        ic = max(ic, -0.02)
        ric = ic * rng.uniform(0.95, 1.25)
        icir = ic / rng.uniform(0.07, 0.14)
        ricir = ric / rng.uniform(0.07, 0.14)

        # the portfolio: top-k of n, n_drop replaced a day; fewer names concentrate the signal and the noise
        concentration = min(math.sqrt(n / topk), 3.0)
        years = self.test_years(kind)
        gross = ic * 3.2 * concentration + market_drift + rng.gauss(0.0, 0.05 / math.sqrt(years))
        turnover = n_drop / topk  # share of the book traded each day
        cost = turnover * 0.002 * DAYS_PER_YEAR * 0.45
        ann_wo = gross
        ann_w = gross - cost
        std_wo = 0.0045 * concentration ** 0.6 * rng.uniform(0.85, 1.2)
        std_w = std_wo * rng.uniform(1.0, 1.02)
        mean_wo = ann_wo / DAYS_PER_YEAR
        mean_w = ann_w / DAYS_PER_YEAR
        ir_wo = mean_wo / std_wo * math.sqrt(DAYS_PER_YEAR)
        ir_w = mean_w / std_w * math.sqrt(DAYS_PER_YEAR)
        mdd_wo = -min(0.35, 0.03 + std_wo * math.sqrt(DAYS_PER_YEAR) * rng.uniform(0.5, 1.6) - min(ann_wo, 0.2) * 0.2)
        mdd_w = mdd_wo - cost * rng.uniform(0.1, 0.4)

        m = {
            "IC": ic,
            "ICIR": icir,
            "Rank IC": ric,
            "Rank ICIR": ricir,
            "1day.excess_return_without_cost.mean": mean_wo,
            "1day.excess_return_without_cost.std": std_wo,
            "1day.excess_return_without_cost.annualized_return": ann_wo,
            "1day.excess_return_without_cost.information_ratio": ir_wo,
            "1day.excess_return_without_cost.max_drawdown": mdd_wo,
            "1day.excess_return_with_cost.mean": mean_w,
            "1day.excess_return_with_cost.std": std_w,
            "1day.excess_return_with_cost.annualized_return": ann_w,
            "1day.excess_return_with_cost.information_ratio": ir_w,
            "1day.excess_return_with_cost.max_drawdown": mdd_w,
            "1day.ffr": 1.0,
            "1day.pa": 0.0,
            "1day.pos": 0.0,
        }
        if lightgbm:  # only LGBModel logs l2.* to MLflow
            train = rng.uniform(0.985, 0.996)
            m["l2.train"] = train
            m["l2.valid"] = train + rng.uniform(0.0015, 0.007)
        if not baseline and self.outcome(li) == "nan":
            for name in HEADLINE:
                m[name] = float("nan")
        for name in self.forced_nan:
            if name in m:
                m[name] = float("nan")
        return m

    def decide(self, li: int, result, sota) -> tuple:
        """RD-Agent's feedback: does this loop replace the SOTA? The LLM reads IC first, the return second."""
        if result is None:
            return False, "The experiment failed before producing results."
        ic = result.get("IC", float("nan"))
        if math.isnan(ic):
            return False, "IC is NaN: the model predicts a constant, so the backtest says nothing."
        if sota is None or math.isnan(sota.get("IC", float("nan"))):
            return True, "First result: it becomes the SOTA."
        ann = result["1day.excess_return_with_cost.annualized_return"]
        sota_ic = sota.get("IC", 0.0)
        sota_ann = sota["1day.excess_return_with_cost.annualized_return"]
        rng = self.rng("decision", li)
        if ic > sota_ic * 1.02 and (ann > sota_ann - 0.03 or rng.random() < 0.5):
            return True, "Higher IC (%.4f > %.4f) with a comparable excess return." % (ic, sota_ic)
        if ann > sota_ann + 0.02 and rng.random() < 0.25:
            return True, "Clearly higher excess return (%.2f%% > %.2f%%) despite a lower IC." % (ann * 100, sota_ann * 100)
        if ann > sota_ann:
            return False, "Higher return but lower IC (%.4f <= %.4f): likely overfit to the test period." % (ic, sota_ic)
        return False, "No improvement over the SOTA (IC %.4f vs %.4f)." % (ic, sota_ic)

    def daily(self, li: int, kind: str, metrics: dict, days: int, baseline: bool = False):
        """Daily (return, cost, bench, turnover) whose mean excess matches the annualized figures."""
        rng = self.rng("daily", li, kind, "baseline" if baseline else "experiment")
        regime = self.rng("bench", self._dates("QLIB_MODEL_" if kind == "model" else "QLIB_FACTOR_"))
        mean_w = metrics["1day.excess_return_with_cost.mean"]
        mean_wo = metrics["1day.excess_return_without_cost.mean"]
        std = metrics["1day.excess_return_without_cost.std"]
        cost = max(mean_wo - mean_w, 0.0)
        rows = []
        for _ in range(days):
            bench = regime.gauss(0.0003, 0.013)
            excess = rng.gauss(mean_wo, std)
            turnover = rng.uniform(0.6, 1.4) * (cost / 0.002 if cost else 0.1)
            rows.append((bench + excess, cost, bench, min(turnover, 1.0)))
        return rows
