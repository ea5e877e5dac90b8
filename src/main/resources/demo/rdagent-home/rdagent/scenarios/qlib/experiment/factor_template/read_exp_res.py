"""Collect the results of the latest qrun recorder into this workspace (demo sample).

Run inside the experiment workspace after ``qrun conf_*.yaml``. It writes:

* ``qlib_res.csv``: every MLflow metric of the latest recorder (a pandas Series, ``to_csv``);
* ``ret.pkl``: the daily portfolio report (``portfolio_analysis/report_normal_1day.pkl``).

The RD-Agent Scheduler simulator never executes this file; it only copies it, the same
way RD-Agent copies the template folder into each experiment workspace.
"""

from pathlib import Path

import pandas as pd
import qlib
from qlib.workflow import R

qlib.init()

latest = None
for name in R.list_experiments():
    for rid in R.list_recorders(experiment_name=name):
        if rid is None:
            continue
        rec = R.get_recorder(recorder_id=rid, experiment_name=name)
        finished = rec.info.get("end_time")
        if finished is None:
            continue
        if latest is None or finished > latest.info["end_time"]:
            latest = rec

if latest is None:
    print("No finished recorder found.")
else:
    here = Path(__file__).resolve().parent
    metrics = pd.Series(latest.list_metrics())
    metrics.to_csv(here / "qlib_res.csv")
    print(f"Wrote {len(metrics)} metrics to {here / 'qlib_res.csv'}")

    report = latest.load_object("portfolio_analysis/report_normal_1day.pkl")
    report.to_pickle(here / "ret.pkl")
    print(f"Wrote the daily portfolio report ({len(report)} rows) to {here / 'ret.pkl'}")
