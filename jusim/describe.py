"""Results that explain themselves: units and descriptions on Parquet fields, the resolved
scenario as TOML, and a plain-words account of a sweep folder (``jusim results --describe`` and
the folder's ``README.md``).

Units and descriptions come from one place, ``jusim.metrics.CATALOGUE``; a factor's description
is its label and path from the experiment file.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pyarrow as pa

from jusim.metrics import UNKNOWN, metric_info

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


# ---- Parquet field metadata -------------------------------------------------------------------
def annotate(table: pa.Table, extra: dict[str, dict[str, str]] | None = None) -> pa.Table:
    """``table`` with ``unit`` and ``description`` in the metadata of every field the catalogue
    (or ``extra``, e.g. factors) describes. Readers: ``pyarrow.parquet.read_schema(path)
    .field(name).metadata``."""
    extra = extra or {}
    fields = []
    for f in table.schema:
        meta = dict(f.metadata or {})
        if f.name in extra:
            info = extra[f.name]
        else:
            mi = metric_info(f.name)
            info = {} if mi is UNKNOWN else {"unit": mi.unit, "description": mi.description}
        for k, v in info.items():
            meta[k.encode()] = str(v).encode()
        fields.append(f.with_metadata(meta) if meta else f)
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def write_parquet(df: Any, path: str | Path, extra: dict[str, dict[str, str]] | None = None):
    """Write a pandas frame to Parquet with field metadata (see :func:`annotate`)."""
    import pyarrow.parquet as pq

    pq.write_table(annotate(pa.Table.from_pandas(df, preserve_index=False), extra), path)
    return Path(path)


# ---- TOML ------------------------------------------------------------------------------------
def _key(k: str) -> str:
    return k if BARE_KEY.match(k) else json.dumps(k)


def _value(v: Any) -> str:
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
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v if x is not None) + "]"
    if isinstance(v, dict):
        items = [f"{_key(k)} = {_value(x)}" for k, x in v.items() if x is not None]
        return "{ " + ", ".join(items) + " }" if items else "{}"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def to_toml(data: dict[str, Any], header: str = "") -> str:
    """TOML text for plain data (scalars, lists, nested tables, lists of tables); None values are
    left out. ``tomllib.loads(to_toml(d))`` gives ``d`` back (without the Nones)."""
    lines = [f"# {ln}" for ln in header.splitlines()]
    _table(lines, data, [])
    return "\n".join(lines).strip() + "\n"


def _table(lines: list[str], data: dict[str, Any], path: list[str]) -> None:
    simple = {k: v for k, v in data.items() if not isinstance(v, dict) and not _is_table_list(v)}
    for k, v in simple.items():
        if v is not None:
            lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in data.items():
        if isinstance(v, dict):
            lines.append("")
            lines.append("[" + ".".join(_key(p) for p in [*path, k]) + "]")
            _table(lines, v, [*path, k])
    for k, v in data.items():
        if _is_table_list(v):
            for item in v:
                lines.append("")
                lines.append("[[" + ".".join(_key(p) for p in [*path, k]) + "]]")
                flat = {
                    ik: iv
                    for ik, iv in item.items()
                    if not isinstance(iv, dict) and not _is_table_list(iv)
                }
                for ik, iv in flat.items():
                    if iv is not None:
                        lines.append(f"{_key(ik)} = {_value(iv)}")
                for ik, iv in item.items():
                    if isinstance(iv, dict) or _is_table_list(iv):
                        lines.append(f"{_key(ik)} = {_value(iv)}")


# ---- the folder in plain words ---------------------------------------------------------------
FILES = [
    ("README.md", "this description"),
    ("manifest.json", "everything below as data: factors, ranges, seeds, metrics with units"),
    ("experiment.toml", "the experiment file as first run"),
    ("base_scenario.toml", "the resolved base scenario (every value the runs started from)"),
    ("design.parquet", "the design points: factor values (and raw__ sampler coordinates)"),
    ("chunks/*.parquet", "one row per run: run_id, point, replication, seed, factors, metrics"),
    ("outcomes/*.parquet", "monthly outcome trajectories (if kept)"),
    ("system/*.parquet", "monthly whole-system trajectories, network measures included (if kept)"),
    ("results.duckdb", "DuckDB views over the Parquet files: runs, parameters, metrics, design"),
]


def _values(r: dict[str, Any] | None, spec: dict[str, Any]) -> str:
    if r is None:
        return f"values {spec.get('values') or spec.get('range')}"
    if "values" in r:
        return "values " + ", ".join(json.dumps(v) for v in r["values"])
    kind = "whole numbers" if r.get("whole_numbers") else "from"
    return f"{kind} {r['low']} to {r['high']}"


def describe_manifest(man: dict[str, Any], stored: int | None = None) -> str:
    """A sweep folder in plain words (Markdown), from its manifest alone."""
    out = [f"# Sweep `{man['name']}`", ""]
    if man.get("description"):
        out += [man["description"], ""]
    design = man["design"]
    done = f"{stored} of {man['total_runs']}" if stored is not None else str(man["total_runs"])
    out += [
        f"- jusim {man.get('jusim_version')}; experiment file `{man.get('source')}` "
        f"(hash {str(man.get('hash'))[:12]})",
        f"- design: {design['kind']}, {man['n_points']} points x {man['replications']} "
        f"replications = {man['total_runs']} runs ({done} stored)",
        f"- master seed {man['seed']}",
    ]
    seeds = man.get("seed_derivation", {})
    for k, v in seeds.items():
        out.append(f"- seeds, {k}: {v}")
    out += ["", "## Factors", ""]
    ranges = man.get("factor_ranges", {})
    for f in man["factors"]:
        spec = man["factor_specs"][f]
        what = man["labels"].get(f, f)
        if spec.get("path"):
            what += f", path `{spec['path']}`"
        elif spec.get("intervention"):
            table = ", ".join(f"{k} = {v}" for k, v in spec["intervention"].items())
            what += f", adds the intervention ({table}) when on"
        out.append(f"- **{f}** ({spec['kind']}): {what}; {_values(ranges.get(f), spec)}")
    out += ["", "## Metrics (one value per run)", ""]
    info = man.get("metric_info", {})
    for m in man["metrics"]:
        i = info.get(m) or {}
        unit = f" [{i['unit']}]" if i.get("unit") else ""
        out.append(f"- **{m}**{unit}: {i.get('description', '')}")
    out += ["", "## Files", ""]
    out += [f"- `{name}`: {what}" for name, what in FILES]
    out += [
        "",
        "Every Parquet field of a metric carries its unit and description in its metadata "
        "(`pyarrow.parquet.read_schema(path).field(name).metadata`).",
        "",
        "Read without jusim, from inside this folder: `duckdb results.duckdb` then "
        "`SELECT * FROM runs` (its views name the files relative to this folder, so a copy "
        "works anywhere), or `pandas.read_parquet('chunks')`.",
    ]
    return "\n".join(out) + "\n"
