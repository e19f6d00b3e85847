"""Fuzz suite (issue 12): hundreds of malformed scenario and experiment files, generated from a
seed, each run through the command line in this process.

Every case is either *bad* (it must be refused: non-zero exit, the file named, no traceback and
no "internal error") or *good* (it must be accepted: exit 0). Field inventories are read from
the pydantic models, so fields that later changes add to scenarios, mechanism parameters or
interventions are fuzzed too. Every accepted sweep is then checked property-wise: each row of
its ``runs`` table, re-run from the factor values it records, gives the same metrics.

``python -m pytest tests/test_fuzz_input.py -s`` prints the counts by class.
"""

from __future__ import annotations

import json
import math
import random
import re
import typing
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

import jusim
from jusim.cli import app
from jusim.experiment.store import Store
from jusim.interventions import REGISTRY
from jusim.interventions.base import EMPTY_MEANS_NONE
from jusim.scenario import (
    MAX_AGENCIES,
    MAX_BASE_CHAIN,
    MAX_INTERVENTIONS,
    MAX_OUTCOMES,
    AgencySpec,
    Context,
    OutcomeSpec,
    Parameters,
    Scenario,
    load_scenario,
)

SEED = 20261126
N_SCENARIO = 320
N_EXPERIMENT = 260
AGENCIES = ["a0", "a1", "a2"]

# ---- a small TOML writer (inline tables; enough for generated files) -------------------------


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, Raw):
        return v.text
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


@dataclass(frozen=True)
class Raw:
    """TOML text written as is (e.g. deeply nested arrays)."""

    text: str


def dumps(doc: dict[str, Any]) -> str:
    return "\n".join(f"{_key(k)} = {_value(v)}" for k, v in doc.items()) + "\n"


# ---- field inventories, read from the models ------------------------------------------------


def _bounds(info) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in info.metadata:
        lo = getattr(m, "ge", None) if getattr(m, "ge", None) is not None else lo
        lo = getattr(m, "gt", None) if getattr(m, "gt", None) is not None else lo
        hi = getattr(m, "le", None) if getattr(m, "le", None) is not None else hi
        hi = getattr(m, "lt", None) if getattr(m, "lt", None) is not None else hi
    return lo, hi


def _numeric(model) -> dict[str, tuple[type, float | None, float | None]]:
    """name -> (int or float, low, high) for the numeric fields of a model."""
    out = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        base = args[0] if len(args) == 1 else ann
        if base in (int, float):
            out[name] = (base, *_bounds(info))
    return out


def _intervention(kind: str) -> dict[str, Any] | None:
    """A valid table for intervention ``kind`` in the fuzz world, built from its fields."""
    cls = REGISTRY[kind]
    body: dict[str, Any] = {"type": kind}
    for name, info in cls.model_fields.items():
        if not info.is_required():
            continue
        if name == "outcome":
            body[name] = "need"
        elif name in ("host", "lead", "agency"):
            body[name] = "a0"
        elif typing.get_origin(info.annotation) is typing.Literal:
            body[name] = typing.get_args(info.annotation)[0]
        else:
            return None
    if kind == "central_unit":
        body["unit"] = "unit0"
    return body


def base_world(rng: random.Random | None = None) -> dict[str, Any]:
    """A small valid world: three agencies, one outcome, two months."""
    doc: dict[str, Any] = {
        "name": "fuzz",
        "horizon": 2,
        "agencies": [
            {"name": n, "kind": "local_authority", "staff": 20, "budget": 500.0} for n in AGENCIES
        ],
        "outcomes": [
            {
                "name": "need",
                "contributors": {"a0": 1.0, "a1": 0.5, "a2": 0.5},
                "initial_need": 200.0,
                "inflow": 5.0,
                "unit_cost": 20.0,
                "target": 50.0,
            }
        ],
    }
    return doc


def _valid_interventions() -> list[dict[str, Any]]:
    out = []
    for kind in sorted(REGISTRY):
        body = _intervention(kind)
        if body is None:
            continue
        doc = base_world()
        doc["interventions"] = [body]
        try:
            from jusim.scenario import parse_scenario

            parse_scenario(doc, "<probe>")
        except Exception:
            continue
        out.append(body)
    return out


INTERVENTIONS = _valid_interventions()


def numeric_targets() -> list[tuple[tuple[Any, ...], type, float | None, float | None]]:
    """(path in the world document, type, low, high) for every numeric field."""
    targets = []
    for name, (t, lo, hi) in _numeric(Scenario).items():
        targets.append((("@top", name), t, lo, hi))
    for name, (t, lo, hi) in _numeric(AgencySpec).items():
        targets.append((("agencies", 1, name), t, lo, hi))
    for name, (t, lo, hi) in _numeric(OutcomeSpec).items():
        targets.append((("outcomes", 0, name), t, lo, hi))
    for name, (t, lo, hi) in _numeric(Context).items():
        targets.append((("context", name), t, lo, hi))
    for mech, info in Parameters.model_fields.items():
        for name, (t, lo, hi) in _numeric(info.annotation).items():
            targets.append((("parameters", mech, name), t, lo, hi))
    for k, body in enumerate(INTERVENTIONS):
        for name, (t, lo, hi) in _numeric(REGISTRY[body["type"]]).items():
            targets.append((("interventions", k, name), t, lo, hi))
    return targets


TARGETS = numeric_targets()


def with_value(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A copy of ``doc`` with ``value`` at ``path`` (interventions added when targeted)."""
    doc = json.loads(json.dumps(doc))
    if path[0] == "interventions":
        doc["interventions"] = [dict(b) for b in INTERVENTIONS]
    if path[0] == "@top":
        path = path[1:]
    node = doc
    for p in path[:-1]:
        if isinstance(p, str) and p not in node:
            node[p] = {}
        node = node[p]
    node[path[-1]] = value
    return doc


# ---- cases ----------------------------------------------------------------------------------


@dataclass
class Case:
    kind: str  # "scenario" or "experiment"
    klass: str  # the class of malformation
    good: bool  # must be accepted (True) or refused (False)
    text: str | bytes | None = None
    make: Any = None  # callable(folder) -> path, for cases needing several files
    args: list[str] = field(default_factory=list)  # extra command-line arguments


def scenario_cases(rng: random.Random) -> list[Case]:
    cases: list[Case] = []

    def bad(klass: str, doc_or_text: Any) -> None:
        text = doc_or_text if isinstance(doc_or_text, str | bytes) else dumps(doc_or_text)
        cases.append(Case("scenario", klass, False, text))

    def good(klass: str, doc: dict[str, Any]) -> None:
        cases.append(Case("scenario", klass, True, dumps(doc)))

    world = base_world()
    for _ in range(40):
        path, t, lo, hi = rng.choice(TARGETS)
        bad(
            "non-finite number",
            with_value(world, path, rng.choice([math.inf, -math.inf, math.nan])),
        )
    for _ in range(35):
        path, t, lo, hi = rng.choice(TARGETS)
        huge = rng.choice([1e300, -1e300, 1.7e308, 10**30, 2**63, -(2**70), 1e13])
        bad("huge number", with_value(world, path, huge))
    for _ in range(25):
        path, *_ = rng.choice(TARGETS)
        bad("true/false as a number", with_value(world, path, rng.choice([True, False])))
    for _ in range(25):
        path, t, lo, hi = rng.choice(TARGETS)
        bad("text as a number", with_value(world, path, rng.choice(["1e3", "7", "", "0.5", "inf"])))
    ints = [x for x in TARGETS if x[1] is int]
    for _ in range(15):
        path, t, lo, hi = rng.choice(ints)
        bad("fraction as a whole number", with_value(world, path, rng.choice([2.5, 3.0, 0.5])))
    bounded = [x for x in TARGETS if x[2] is not None or x[3] is not None]
    for _ in range(40):
        path, t, lo, hi = rng.choice(bounded)
        if hi is not None and (lo is None or rng.random() < 0.5):
            value = hi + (1 if t is int else max(abs(hi), 1.0) * rng.choice([0.01, 1, 10]))
        else:
            value = lo - (1 if t is int else max(abs(lo), 1.0) * rng.choice([0.01, 1, 10]))
        bad("out of bounds", with_value(world, path, t(value) if t is int else float(value)))
    for _ in range(20):
        where = rng.choice(["@top", "agency", "outcome", "context", "parameters", "intervention"])
        doc = json.loads(json.dumps(world))
        key = rng.choice(["budjet", "Horizon", "extra", "churn_rate", "x"])
        if where == "@top":
            doc[key] = 1
        elif where == "agency":
            doc["agencies"][0][key] = 1
        elif where == "outcome":
            doc["outcomes"][0][key] = 1
        elif where == "context":
            doc["context"] = {key: 1}
        elif where == "parameters":
            doc["parameters"] = {rng.choice(list(Parameters.model_fields)): {key: 1}}
        else:
            doc["interventions"] = [{**rng.choice(INTERVENTIONS), key: 1}]
        bad("unknown key", doc)
    for _ in range(16):
        doc = json.loads(json.dumps(world))
        what = rng.choice(["agency", "outcome", "name-type", "agencies-type", "contributors"])
        if what == "agency":
            del doc["agencies"][0][rng.choice(["name", "kind", "staff", "budget"])]
        elif what == "outcome":
            del doc["outcomes"][0][rng.choice(["contributors", "initial_need", "unit_cost"])]
        elif what == "name-type":
            doc["agencies"][0]["name"] = rng.choice([3, True, ["a"], "Has Spaces", ""])
        elif what == "agencies-type":
            doc["agencies"] = rng.choice(["a0", 3, {"a": 1}, []])
        else:
            doc["outcomes"][0]["contributors"] = rng.choice([{}, {"a0": 0.0}, {"zz": 1.0}, [1]])
        bad("missing or mistyped field", doc)
    # names not unique, members
    for k in range(12):
        doc = json.loads(json.dumps(world))
        choice = k % 4
        if choice == 0:
            doc["agencies"][2]["name"] = "a0"
        elif choice == 1:
            doc["outcomes"].append({**doc["outcomes"][0]})
        elif choice == 2:
            doc["interventions"] = [{"type": "central_unit", "outcome": "need"}] * 2
        else:
            doc["interventions"] = [{"type": "central_unit", "outcome": "need", "unit": "a1"}]
        bad("names not unique", doc)
    partnership = [b for b in INTERVENTIONS if "members" in REGISTRY[b["type"]].model_fields]
    for _ in range(12):
        doc = json.loads(json.dumps(world))
        members = rng.choice([[], ["a0", "a0"], ["a1", "a2", "a1"], ["nobody"], "a0", [1]])
        doc["interventions"] = [{**rng.choice(partnership), "members": members}]
        bad("members empty, repeated or unknown", doc)
    # nesting
    for _ in range(16):
        n = rng.choice([25, 60, 500, 3000])
        deep = Raw("[" * n + "]" * n) if rng.random() < 0.5 else Raw("{a = " * n + "1" + "}" * n)
        doc = json.loads(json.dumps(world))
        doc[rng.choice(["description", "horizon", "context"])] = deep
        bad("deep nesting", doc)
    # sizes
    for _ in range(8):
        n = rng.choice([MAX_AGENCIES + 1, 3010, 5000])
        doc = json.loads(json.dumps(world))
        doc["agencies"] = [
            {"name": f"a{k}", "kind": "voluntary", "staff": 1, "budget": 1.0} for k in range(n)
        ]
        bad("world too large", doc)
    for _ in range(4):
        doc = json.loads(json.dumps(world))
        for a in doc["agencies"]:
            a["staff"] = rng.choice([600_000, 5_000_000])
        bad("world too large", doc)
    doc = json.loads(json.dumps(world))
    doc["outcomes"] = [{**world["outcomes"][0], "name": f"o{k}"} for k in range(MAX_OUTCOMES + 1)]
    bad("world too large", doc)
    doc = json.loads(json.dumps(world))
    doc["interventions"] = [
        {"type": "shared_targets", "outcome": "need"} for _ in range(MAX_INTERVENTIONS + 1)
    ]
    bad("world too large", doc)
    # syntax and encoding
    text = dumps(world)
    for _ in range(20):
        r = rng.random()
        if r < 0.3:
            bad("not TOML", text[: rng.randrange(5, len(text) - 5)] + " = = [")
        elif r < 0.5:
            bad("not TOML", bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))))
        elif r < 0.7:
            bad("not TOML", text.encode() + b'\nx = "\xff\xfe"\n')
        elif r < 0.85:
            bad("not TOML", "")
        else:
            bad("not TOML", "[[agencies]]\n" * rng.randrange(1, 40))
    # base references
    for k in range(25):
        cases.append(Case("scenario", "bad base", False, make=_bad_base(k, rng)))
    # valid: random values within each field's bounds
    for _ in range(55):
        doc = world
        for _ in range(rng.randrange(1, 4)):
            path, t, lo, hi = rng.choice(TARGETS)
            if path[-1] in ("target", "initial_need", "horizon", "start", "end", "deadline"):
                continue  # tied to other fields (target < initial need, end > start)
            if path[0] == "interventions" and path[-1] in ("count", "staff"):
                continue  # tied to the senders' staff (edge_cases tests the limit)
            lo_ = lo if lo is not None else 0.0
            hi_ = hi if hi is not None else 1000.0
            if t is int:
                value: Any = rng.randint(math.ceil(lo_), int(min(hi_, lo_ + 50)))
            else:
                value = rng.uniform(lo_, min(hi_, lo_ + 1000.0))
                if lo is not None and value <= lo:
                    value = lo + 1e-6
            doc = with_value(doc, path, value)
        good("valid (values within bounds)", doc)
    return cases + edge_cases(rng)


NAME_LISTS = [
    (kind, name)
    for kind in sorted(REGISTRY)
    for name, info in REGISTRY[kind].model_fields.items()
    if list[str] in (info.annotation, *typing.get_args(info.annotation))
]
"""(intervention, field) of every list of names an intervention takes (issue 23)."""


def edge_cases(rng: random.Random) -> list[Case]:
    """Issue 23: inputs that ran with meaningless numbers or were accepted and then ignored."""
    cases: list[Case] = []
    world = base_world()
    bodies = {b["type"]: b for b in INTERVENTIONS}

    def add(klass: str, doc: dict[str, Any], good: bool = False) -> None:
        cases.append(Case("scenario", klass, good, dumps(doc)))

    for _ in range(12):  # attainment divides by initial need - target
        need = rng.choice([1e-9, 0.3, 0.99, 200.0])
        target = 0.0 if need < 1 else need - rng.choice([0.5, 1e-6, 0.999])
        doc = json.loads(json.dumps(world))
        doc["outcomes"][0].update(initial_need=need, target=target)
        add("target within a case of the initial need", doc)
    for kind, name in NAME_LISTS:  # empty (where that means a no-op) or repeated lists of names
        for value in ([], [AGENCIES[1], AGENCIES[1]])[name in EMPTY_MEANS_NONE :]:
            body = {**bodies.get(kind, {"type": kind, "outcome": "need"}), name: value}
            add("empty or repeated list of names", {**world, "interventions": [body]})
    for _ in range(10):  # more secondees than the sending agencies employ
        doc = json.loads(json.dumps(world))
        if rng.random() < 0.5:
            body = {"type": "secondees", "outcome": "need", "host": "a0"}
            body["count"] = rng.choice([41, 1000, 100_000])
        else:
            body = {"type": "central_unit", "outcome": "need", "unit": "u0"}
            body["staff"] = rng.choice([61, 5000, 100_000])
        doc["interventions"] = [body]
        add("more staff asked than the senders employ", doc)
    for _ in range(8):  # over-long names, in every place a name goes
        long = "n" * rng.choice([65, 300, 5000])
        doc = json.loads(json.dumps(world))
        where = rng.randrange(3)
        if where == 0:
            doc["interventions"] = [{"type": "central_unit", "outcome": "need", "unit": long}]
        elif where == 1:
            doc["agencies"][2]["name"] = long
            doc["outcomes"][0]["contributors"] = {"a0": 1.0, "a1": 0.5}
        else:
            doc["outcomes"][0]["name"] = long
        add("over-long name", doc)
    for value in ("elsewhere.toml", "", 3):  # a key jusim sets itself
        add("a key jusim sets itself", {**world, "source": value})
    for k in range(12):  # valid worlds at the edges: every number printed is finite or a dash
        doc = json.loads(json.dumps(world))
        r = k % 4
        if r == 0:
            doc["agencies"][rng.randrange(3)]["budget"] = rng.choice([0.0, 1e-9])
        elif r == 1:
            for a in doc["agencies"]:
                a["budget"] = 0.0
        elif r == 2:
            for a in doc["agencies"]:
                a["staff"] = 0
        else:
            doc["outcomes"][0].update(initial_need=1.0, target=0.0, inflow=rng.choice([0, 1e6]))
        add("valid world at the edges", doc, good=True)
    return cases


def _bad_base(k: int, rng: random.Random):
    def make(folder: Path) -> Path:
        root = dumps(base_world())
        main = folder / "main.toml"
        kind = k % 10
        if kind == 0:  # a chain longer than allowed
            (folder / "f0.toml").write_text(root)
            n = rng.choice([MAX_BASE_CHAIN + 1, 100, 1200])
            for i in range(1, n):
                (folder / f"f{i}.toml").write_text(f'base = "f{i - 1}.toml"\n')
            main.write_text(f'base = "f{n - 1}.toml"\n')
        elif kind == 1:  # a cycle
            (folder / "b.toml").write_text('base = "main.toml"\n')
            main.write_text('base = "b.toml"\n' + root)
        elif kind == 2:
            main.write_text('base = "a\\u0000b"\n' + root)
        elif kind == 3:
            main.write_text(f'base = "{"x" * rng.choice([300, 5000, 100_000])}"\n' + root)
        elif kind == 4:
            (folder / "sub").mkdir()
            main.write_text('base = "sub"\n' + root)
        elif kind == 5:
            main.write_text(f"base = {rng.choice(['3', 'true', '[1]', '{a = 1}'])}\n" + root)
        elif kind == 6:
            main.write_text('base = "missing.toml"\n' + root)
        elif kind == 7:
            (folder / "broken.toml").write_text("x = [")
            main.write_text('base = "broken.toml"\n')
        elif kind == 8:
            main.write_text('base = "../../../../../../../../etc"\n' + root)
        else:
            main.write_text('base = ""\n' + root)
        return main

    return make


# ---- experiments ----------------------------------------------------------------------------

FACTOR_PATHS = [
    ("context.churn_scale", float, 0.5, 2.0),
    ("context.budget_change", float, -0.2, 0.2),
    ("context.staff_cost", float, 2.0, 8.0),
    ("agencies.a1.openness", float, 0.1, 0.9),
    ("outcomes.need.inflow", float, 1.0, 20.0),
    ("agencies.a0.staff", int, 5, 40),
    ("interventions.secondees.count", int, 0, 6),
    ("initial_ties", float, 0.0, 8.0),
]


def base_experiment(rng: random.Random, n_factors: int = 2) -> dict[str, Any]:
    picks = rng.sample(FACTOR_PATHS, n_factors)
    factors = {}
    for k, (path, t, lo, hi) in enumerate(picks):
        spec: dict[str, Any] = {"kind": rng.choice(["lever", "uncertainty"]), "path": path}
        if t is int:
            spec.update(range=[lo, hi], integer=True)
        elif rng.random() < 0.3:
            spec["values"] = sorted({round(rng.uniform(lo, hi), 3) for _ in range(2)})
        else:
            spec["range"] = [lo, hi]
        factors[f"f{k}"] = spec
    if rng.random() < 0.4:
        factors["switch"] = {
            "kind": "lever",
            "values": [False, True],
            "intervention": {"type": "shared_targets", "outcome": "need"},
        }
    return {
        "name": "fz",
        "base": "world.toml",
        "seed": rng.randrange(0, 2**31),
        "replications": 1,
        "metrics": ["shared_attainment", "mean_trust"],
        "design": {"kind": "grid", "levels": 2},
        "factors": factors,
    }


WORLD_WITH_SECONDEES = {
    **base_world(),
    "interventions": [{"type": "secondees", "outcome": "need", "host": "a0", "count": 2}],
}


def experiment_cases(rng: random.Random) -> list[Case]:
    cases: list[Case] = []

    def add(klass: str, doc: Any, good: bool = False, args: list[str] | None = None) -> None:
        text = doc if isinstance(doc, str | bytes) else dumps(doc)
        cases.append(Case("experiment", klass, good, text, args=args or []))

    def exp(**changes: Any) -> dict[str, Any]:
        d = base_experiment(rng)
        d.update(changes)
        return d

    metric_names = ["shared_attainment", "mean_trust", "tie_density"]
    for _ in range(25):
        d = exp()
        name = rng.choice(
            [*metric_names, "seed", "run_id", "point", "outcome", "raw__f0", "Bad", "a-b", ""]
        )
        d["factors"][name] = d["factors"].pop("f0")
        add("factor named like a metric or column", d)
    for k in range(20):
        d = exp()
        f0 = d["factors"]["f0"]
        if k % 2 and f0.get("path") == "interventions.secondees.count":
            d["factors"]["f1"] = {**f0, "path": "interventions[0].count", "range": [1, 5]}
        else:
            d["factors"]["f1"] = {**d["factors"]["f1"], "path": f0["path"]}
        add("one setting, two factors", d)
    for _ in range(6):  # the same setting through an index and a type
        d = exp()
        d["factors"] = {
            "a": {
                "kind": "lever",
                "path": "interventions.secondees.count",
                "range": [0, 4],
                "integer": True,
            },
            "b": {
                "kind": "lever",
                "path": "interventions[0].count",
                "range": [1, 3],
                "integer": True,
            },
        }
        add("one setting, two factors", d)
    for _ in range(15):
        d = exp()
        whole = rng.randrange(-2, 8)  # a range strictly between two whole numbers
        lo = whole + rng.choice([0.01, 0.2, 0.5])
        d["factors"]["f0"] = {
            "kind": "lever",
            "path": "interventions.secondees.count",
            "range": [lo, lo + rng.uniform(0.01, whole + 0.99 - lo)],
            "integer": True,
        }
        add("integer factor without a whole number", d)
    for _ in range(14):
        d = exp(
            metrics=rng.choice(
                [[], "some", [1], ["nope"], ["mean_trust", "mean_trust"], {}, True, ""]
            )
        )
        add("metrics empty or unknown", d)
    for _ in range(10):
        d = exp()
        d["factors"]["f0"] = {
            "kind": "lever",
            "path": "context.churn_scale",
            "values": rng.choice(
                [[1, "x", True], [True, 1], [], [0.5, 0.5], ["a", 1.0], [[1], [2]]]
            ),
        }
        add("mixed or repeated values", d)
    lax = [
        ("seed", "7"),
        ("seed", 7.0),
        ("replications", True),
        ("replications", "2"),
        ("trajectories", "yes"),
        ("trajectories", 1),
        ("horizon", True),
        ("horizon", 2.0),
        ("description", 3),
        ("name", 5),
    ]
    for k in range(20):
        d = exp()
        if k < len(lax):
            d[lax[k][0]] = lax[k][1]
        elif k % 3 == 0:
            d["factors"]["f0"]["range"] = ["0.5", 2.0]
            d["factors"]["f0"].pop("values", None)
            d["factors"]["f0"].pop("integer", None)
        elif k % 3 == 1:
            d["design"]["levels"] = rng.choice([2.0, "2", True])
        else:
            d["design"] = {"kind": "lhs", "samples": rng.choice(["64", 8.0, False])}
        add("lax types", d)
    for k in range(20):
        d = exp()
        r = k % 7
        if r == 0:
            d["factors"]["f0"] = {
                "kind": "lever",
                "path": "context.churn_scale",
                "range": [0, rng.choice([2**70, 1e300, 1e13])],
            }
        elif r == 1:
            d["seed"] = rng.choice([2**64, -1, 2**70])
        elif r == 2:
            d["replications"] = rng.choice([10**9, 2_000_000, 0])
        elif r == 3:
            d["design"] = {"kind": "morris", "samples": 1_000_000}
        elif r == 4:
            d["design"] = {"kind": "grid", "levels": 1000}
            d["factors"] = {
                f"g{i}": {"kind": "lever", "path": p, "range": [lo, hi]}
                for i, (p, t, lo, hi) in enumerate(FACTOR_PATHS[:5])
                if t is float
            }
        elif r == 5:
            d["factors"]["f0"] = {
                "kind": "lever",
                "path": "context.churn_scale",
                "range": [rng.choice([math.inf, math.nan, -math.inf]), 1.0],
            }
        else:
            d["design"] = {"kind": "sobol", "samples": 2**20}
        add("huge or non-finite numbers, huge designs", d)
    for _ in range(10):
        d = exp(name=rng.choice(["x" * 300, "X", "a/b", "../up", "", "a b", "a\u0000"]))
        add("bad experiment name", d)
    for k in range(21):
        d = exp()
        r = k % 7
        if r == 0:
            d["overrides"] = {"horizon": 0}
        elif r == 1:
            d["overrides"] = {"horizon": 0}
            d["horizon"] = 2
        elif r == 2:
            d["overrides"] = {"context.churn_scal": 1.0}
        elif r == 3:
            d["overrides"] = {"context.churn_scale": math.inf}
        elif r == 4:
            d["overrides"] = {"context.churn_scale": True}
        elif r == 5:
            d["overrides"] = {"agencies.zz.staff": 3}
        else:
            d["overrides"] = {"outcomes.need.unit_cost": 1.8e307}
        add("bad overrides", d)
    for _ in range(10):
        n = rng.choice([30, 400, 3000])
        d = exp()
        d["description"] = Raw("[" * n + "]" * n)
        r = rng.random()
        if r < 0.5:
            add("deep nesting or not TOML", d)
        elif r < 0.75:
            add("deep nesting or not TOML", dumps(d)[: rng.randrange(10, 200)] + "[[")
        else:
            add("deep nesting or not TOML", b'name = "\xff"\n')
    for _ in range(10):
        d = exp(base=rng.choice(["nope", "a\u0000b", "x" * 5000, "", "world.toml/x", ".."]))
        add("bad base", d)
    for _ in range(8):
        d = exp()
        d["interventions"] = [
            rng.choice(
                [
                    {"type": "nope"},
                    {"type": "central_unit"},
                    {"type": "pooled_budget", "outcome": "need", "members": []},
                    "x",
                ]
            )
        ]
        add("bad interventions", d)
    for k in range(12):  # issue 23: accepted and then ignored
        d = exp()
        r = k % 4
        if r == 0:
            values = rng.choice([[1, 1.0], [0, -0.0], [0.5, 2, 0.50], [2.0, 3, 2]])
            d["factors"]["f0"] = {"kind": "lever", "path": "context.churn_scale", "values": values}
            add("factor values equal as numbers", d)
        elif r == 1:
            d["overrides"] = {rng.choice(["source", "base"]): rng.choice(["x", "world.toml"])}
            add("override of what is not a setting", d)
        elif r == 2:
            d["overrides"] = {"interventions.secondees.count": rng.choice([41, 100_000])}
            add("more staff asked than the senders employ", d)
        else:
            d["overrides"] = {"interventions.secondees.members": rng.choice([[], ["a1", "a1"]])}
            add("empty or repeated list of names", d)
    # --out policies
    for k in range(12):
        add(
            "--out refused", exp(), args=["@out-" + ["file", "users-folder", "users-design"][k % 3]]
        )
    # valid experiments (the property test re-runs their rows)
    for _ in range(50):
        d = base_experiment(rng, n_factors=rng.choice([1, 2, 3]))
        if rng.random() < 0.3:
            d["design"] = {"kind": "lhs", "samples": rng.choice([2, 3, 5])}
        if rng.random() < 0.3:
            d["replications"] = 2
        if rng.random() < 0.2:
            d["horizon"] = 3
        add("valid experiment", d, good=True)
    return cases


# ---- running the cases ----------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    path: Path
    exit_code: int
    output: str
    traceback: bool
    named: bool
    out: Path | None = None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def run_case(case: Case, folder: Path, runner: CliRunner) -> Outcome:
    folder.mkdir(parents=True)
    (folder / "world.toml").write_text(dumps(WORLD_WITH_SECONDEES))
    if case.make is not None:
        path = case.make(folder)
    else:
        path = folder / ("scenario.toml" if case.kind == "scenario" else "experiment.toml")
        if isinstance(case.text, bytes):
            path.write_bytes(case.text)
        else:
            path.write_text(case.text or "", encoding="utf-8")
    out = None
    if case.kind == "scenario":
        args = ["run", str(path)]
    else:
        out = folder / "out"
        for a in case.args:
            if a == "@out-file":
                out.write_text("mine")
            elif a == "@out-users-folder":
                out.mkdir()
                (out / "notes.txt").write_text("mine")
            elif a == "@out-users-design":
                out.mkdir()
                (out / "design.parquet").write_text("mine")
        args = ["sweep", str(path), "--workers", "0", "--out", str(out)]
    result = runner.invoke(app, args)
    output = result.output
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    traceback = crashed or "Traceback" in output or "internal error" in output
    named = _squash(str(path)) in _squash(output) or (
        case.make is not None and _squash(str(folder)) in _squash(output)
    )
    if any(a.startswith("@out") for a in case.args):
        named = _squash(str(out)) in _squash(output)
        mine = out / "notes.txt" if (out / "notes.txt").exists() else out
        if mine.is_file() or (out / "design.parquet").exists():
            target = mine if mine.is_file() else out / "design.parquet"
            named = named and target.read_text() == "mine"  # untouched
    return Outcome(case, path, result.exit_code, output, traceback, named, out)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> list[Outcome]:
    rng = random.Random(SEED)
    cases = scenario_cases(rng) + experiment_cases(rng)
    root = tmp_path_factory.mktemp("fuzz")
    runner = CliRunner()
    return [run_case(c, root / f"case{k:04d}", runner) for k, c in enumerate(cases)]


def test_enough_cases(outcomes: list[Outcome]) -> None:
    by_kind = Counter(o.case.kind for o in outcomes)
    assert sum(not o.case.good for o in outcomes) >= 500
    assert by_kind["scenario"] >= 250 and by_kind["experiment"] >= 250


def test_no_traceback_and_no_silent_acceptance(outcomes: list[Outcome]) -> None:
    table: dict[str, Counter] = defaultdict(Counter)
    problems = []
    for o in outcomes:
        row = table[f"{o.case.kind}: {o.case.klass}"]
        row["cases"] += 1
        if o.traceback:
            row["tracebacks"] += 1
            problems.append(("traceback", o))
        elif o.case.good and o.exit_code != 0:
            row["wrongly refused"] += 1
            problems.append(("refused", o))
        elif not o.case.good and o.exit_code == 0:
            row["silently accepted"] += 1
            problems.append(("accepted", o))
        elif not o.case.good and not o.named:
            row["file not named"] += 1
            problems.append(("unnamed", o))
        else:
            row["refused cleanly" if not o.case.good else "accepted"] += 1
    width = max(len(k) for k in table)
    print(f"\n{'class':<{width}}  cases  clean  tracebacks  silently-accepted  other")
    for k, c in sorted(table.items()):
        other = c["wrongly refused"] + c["file not named"]
        print(
            f"{k:<{width}}  {c['cases']:>5}  {c['refused cleanly'] + c['accepted']:>5}  "
            f"{c['tracebacks']:>10}  {c['silently accepted']:>17}  {other:>5}"
        )
    codes = Counter(o.exit_code for o in outcomes)
    print(f"{len(outcomes)} inputs; exit codes: {dict(sorted(codes.items()))}")
    assert 70 not in codes  # no internal error from any input
    detail = [
        f"{why}: {o.case.kind}/{o.case.klass} {o.path} exit {o.exit_code}: {o.output[-600:]}"
        for why, o in problems[:5]
    ]
    assert not problems, "\n".join(detail)


def test_valid_worlds_at_the_edges_print_only_meaningful_numbers(outcomes: list[Outcome]) -> None:
    """Issue 23: zero budgets or staff, a target one case below the start: every number printed
    is finite; what is undefined (a cost per case with no case resolved) is a dash."""
    edge = [o for o in outcomes if o.case.klass == "valid world at the edges"]
    assert len(edge) >= 10
    for o in edge:
        assert o.exit_code == 0, o.output
        rows = [ln.split() for ln in o.output.splitlines()[3:] if ln.strip()]
        assert rows and all(len(r) >= 2 for r in rows), o.output
        for r in rows:
            value = r[1]
            assert value == "–" or math.isfinite(float(value)), (o.path, r)
            assert not (r[0].startswith("cost_per_outcome") and value != "–" and float(value) > 1e9)


def _rebuild(folder: Path, exp: dict[str, Any], row: Any) -> jusim.Scenario:
    """The scenario of one stored run, rebuilt from the values its row records."""
    scenario = load_scenario(folder / "world.toml")
    switches = [
        s["intervention"]
        for name, s in exp["factors"].items()
        if "intervention" in s and bool(row[name])
    ]
    if switches:
        scenario = scenario.with_interventions(
            [iv.to_dict() for iv in scenario.interventions] + switches
        )
    fixed = dict(exp.get("overrides", {}))
    if "horizon" in exp:
        fixed["horizon"] = exp["horizon"]
    for name, s in reversed(list(exp["factors"].items())):  # one at a time, another order
        if "path" in s:
            value = row[name]
            value = value.item() if isinstance(value, np.generic) else value
            fixed[s["path"]] = value
    return scenario.with_overrides(fixed)


def test_runs_table_records_the_values_each_run_used(outcomes: list[Outcome]) -> None:
    """Property: re-running any stored row from its recorded factor values and seed gives the
    metrics stored in that row (so the recorded values are the ones the run used)."""
    import tomllib

    checked = 0
    for o in outcomes:
        if o.case.kind != "experiment" or o.exit_code != 0:
            continue
        exp = tomllib.loads(o.path.read_text())
        runs = Store(o.out).runs()
        assert len(runs) == Store(o.out).manifest()["total_runs"]
        for _, row in runs.iterrows():
            summary = jusim.run(_rebuild(o.path.parent, exp, row), seed=int(row["seed"])).summary()
            for m in exp["metrics"]:
                assert summary[m] == pytest.approx(row[m], nan_ok=True, rel=0, abs=0), (o.path, m)
            checked += 1
    assert checked >= 100


def test_bad_command_lines(
    outcomes: list[Outcome], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Generated bad options and arguments: refused by the parser or the command, cleanly."""
    monkeypatch.chdir(tmp_path)  # relative paths the generator passes (e.g. --csv) land here
    rng = random.Random(SEED + 1)
    store = next(o.out for o in outcomes if o.case.kind == "experiment" and o.exit_code == 0)
    experiment = next(o.path for o in outcomes if o.case.kind == "experiment" and o.exit_code == 0)
    afile = tmp_path / "a_file.txt"
    afile.write_text("mine")
    junk = ["", "a\u0000b", "x" * 5000, "-1", "nan", "1e999", str(tmp_path), str(afile)]
    lines = []
    for _ in range(60):
        kind = rng.randrange(8)
        bad = rng.choice(junk)
        if kind == 0:
            lines.append(["run", "silo", "--seed", rng.choice(["-1", "x", "1.5", "", "nan"])])
        elif kind == 1:
            lines.append(["run", bad])
        elif kind == 2:
            lines.append(["run", "silo", "--out", rng.choice([str(afile), str(tmp_path), bad])])
        elif kind == 3:
            opt = rng.choice(["--chunk-size", "--workers", "--out", "--scheduler"])
            value = rng.choice(["0", "-3", "x", str(afile), "tcp://", ""])
            lines.append(["sweep", str(experiment), opt, value])
        elif kind == 4:
            opt = rng.choice(["--limit", "--metric", "--sql", "--csv"])
            value = rng.choice(["0", "nope", "SELECT * FROM nothing", "DROP VIEW runs", bad])
            lines.append(["results", rng.choice([str(store), bad]), opt, value])
        elif kind == 5:
            lines.append(
                [
                    "discover",
                    str(store),
                    "-m",
                    rng.choice(["nope", "mean_trust"]),
                    "-t",
                    rng.choice(["x", "nan", "2", "-1"]),
                ]
            )
        elif kind == 6:
            lines.append(
                [
                    "compare",
                    "silo",
                    rng.choice(["--replications", "--seed"]),
                    rng.choice(["1", "-2", "x"]),
                ]
            )
        else:
            lines.append(["sensitivity", rng.choice([str(store), bad, str(experiment)])])
    graph = tmp_path / "mine.graphml"  # issue 23: every writer has the same --force rule
    graph.write_text("mine")
    for _ in range(4):
        lines.append(["network", "silo", "-m", rng.choice(["0", "1"]), "--out", str(graph)])
    (Path(store) / "sensitivity-grid.csv").write_text("mine")
    lines.append(["sensitivity", str(store)])
    runner = CliRunner()
    problems = []
    for args in lines:
        result = runner.invoke(app, args)
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        if crashed or "Traceback" in result.output or "internal error" in result.output:
            problems.append((args[:4], result.output[-300:]))
    assert afile.read_text() == "mine"
    assert graph.read_text() == "mine"
    assert (Path(store) / "sensitivity-grid.csv").read_text() == "mine"
    assert not problems, problems[:3]
