"""Sums the token_cost records of an RD-Agent trace folder independently of the scheduler, with python3's own pickle
(restricted: a record naming any class is skipped, as the scheduler skips it). Prints JSON; NaN costs as null."""
import json
import math
import pickle
import sys
from pathlib import Path


class Restricted(pickle.Unpickler):
    def find_class(self, module, name):
        raise pickle.UnpicklingError("refused %s.%s" % (module, name))


def number(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


trace = Path(sys.argv[1])
records = []
for f in sorted(trace.glob("**/token_cost/*/*.pkl")):
    if "__session__" in f.parts:
        continue
    try:
        with f.open("rb") as fh:
            d = Restricted(fh).load()
    except Exception:
        continue
    if not isinstance(d, dict):
        continue
    rel = f.relative_to(trace).parts
    loop = int(rel[0][5:]) if rel[0].startswith("Loop_") else None
    records.append({"path": str(f.relative_to(trace)), "loop": loop, "step": rel[1] if loop is not None else None,
                    "pid": f.parent.name, "time": f.stem, "model": d["model"], "prompt_tokens": d["prompt_tokens"],
                    "completion_tokens": d["completion_tokens"], "cost": number(d["cost"]),
                    "accumulated_cost": number(d.get("accumulated_cost"))})
records.sort(key=lambda r: r["time"])


def total(rs):
    costs = [r["cost"] for r in rs if r["cost"] is not None]
    return {"calls": len(rs), "prompt_tokens": sum(r["prompt_tokens"] for r in rs),
            "completion_tokens": sum(r["completion_tokens"] for r in rs), "usd": sum(costs) if costs else None}


print(json.dumps({
    "total": total(records),
    "by_loop": {str(l): total([r for r in records if r["loop"] == l]) for l in sorted({r["loop"] for r in records if r["loop"] is not None})},
    "by_model": {m: total([r for r in records if r["model"] == m]) for m in sorted({r["model"] for r in records})},
    "records": records,
}))
