"""Scenario files: a typed schema (pydantic) for worlds and intervention sets, loaded from TOML.

A scenario names its agencies, cross-cutting outcomes, context (the uncertainties nobody controls),
mechanism parameters and interventions. ``base = "other.toml"`` builds on another file: tables are
merged key by key, lists of agencies and outcomes are replaced, and interventions accumulate.
Every error names the file, the field, the bad value and what is allowed.
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from jusim.mechanisms.accountability import AccountabilityParams
from jusim.mechanisms.capacity import CapacityParams
from jusim.mechanisms.churn import ChurnParams
from jusim.mechanisms.clients import ClientParams
from jusim.mechanisms.contact import ContactParams
from jusim.mechanisms.decision import DecisionParams
from jusim.mechanisms.defensive import DefensiveParams
from jusim.mechanisms.formality import FormalityParams
from jusim.mechanisms.funding import FundingParams
from jusim.mechanisms.mainstreaming import MainstreamingParams
from jusim.mechanisms.mobility import MobilityParams
from jusim.mechanisms.overhead import OverheadParams
from jusim.mechanisms.own_targets import OwnTargetParams
from jusim.mechanisms.partnering import PartnershipParams
from jusim.mechanisms.platforms import PlatformParams
from jusim.mechanisms.production import ProductionParams
from jusim.mechanisms.scrutiny import ScrutinyParams
from jusim.mechanisms.spillover import SpilloverParams
from jusim.mechanisms.ties import TieParams
from jusim.mechanisms.trust import TrustParams
from jusim.mechanisms.understanding import UnderstandingParams
from jusim.strict import StrictModel, depth

AgencyKind = Literal[
    "central_department",
    "local_authority",
    "health_body",
    "police",
    "voluntary",
    "private_provider",
    "central_unit",
]
NAME = r"^[a-z][a-z0-9_]*$"

# Size limits of a scenario, so that a typing slip cannot start a run of hours or exhaust memory.
# The shipped worlds have 4-10 agencies, ~1,000 staff and 1-3 outcomes; the limits are far above
# (a world of 1,000 agencies or 1,000,000 staff runs in about a minute or less, benchmarks/scale.py).
MAX_AGENCIES = 1000
"""Agencies in a world, including those interventions add."""
MAX_OUTCOMES = 500
MAX_INTERVENTIONS = 100
MAX_STAFF = 1_000_000
"""Total staff over all agencies (the default world has ~1,000; a run's time grows with staff)."""
MAX_NESTING = 20
"""Depth of nested tables and lists in a file (scenario files need 4)."""
MAX_BASE_CHAIN = 16
"""Files in a ``base`` chain."""
MAX_FILE_BYTES = 1_000_000
MIN_TARGET_GAP = 1.0
"""Cases an outcome's target must lie below its initial need: attainment divides by the gap, so a
gap of a fraction of a case would turn a change of one case into an attainment of thousands."""


class Strict(StrictModel):
    """Strict, frozen, finite (see ``jusim.strict``)."""


class AgencySpec(Strict):
    """One agency. Money is in £k per month."""

    name: str = Field(
        pattern=NAME, max_length=64, description="identifier: lower case, digits, underscores"
    )
    kind: AgencyKind
    staff: int = Field(ge=0, le=10_000_000, description="headcount")
    budget: float = Field(
        ge=0, le=1e8, description="budget relevant to these outcomes, £k/month (at most £100bn)"
    )
    discretionary_share: float = Field(0.25, ge=0, le=1, description="share not locked in")
    own_target: float = Field(
        0.9, ge=0, le=2, description="share of month-0 budget its own targets need"
    )
    accountability: float = Field(0.7, ge=0, le=1, description="accountability pressure (0–1)")
    risk_aversion: float = Field(0.5, ge=0, le=1, description="aversion to visible failure (0–1)")
    openness: float = Field(0.5, ge=0, le=1, description="openness of culture (0–1)")
    admin_capacity: float = Field(
        1.0, gt=0, le=10, description="administrative capacity (1 = ample)"
    )
    churn: float = Field(
        0.015, ge=0, le=1, description="monthly probability a member of staff leaves"
    )
    handover: float = Field(
        0.3, ge=0, le=1, description="chance each tie is handed over on leaving"
    )
    divisions: int = Field(
        1, ge=1, le=100, description="divisions its staff are split into (1 = no divisions)"
    )
    division_spread: float = Field(
        0.0,
        ge=0,
        le=1,
        description="spread of openness across divisions, ± around the agency's (assumption: "
        "001 ¶77 reports open and 'old style' closed divisions side by side; 0–0.3)",
    )
    platform_cost: float = Field(
        0.05,
        ge=0,
        le=1,
        description="share of budget running its own transaction and IT platform "
        "(assumption; plausible 0.02-0.15)",
    )


class ServiceSpec(Strict):
    """A type of provision for an outcome, with its own lag and cost (002 ¶17; mechanisms/services.py)."""

    name: str = Field(pattern=NAME, description="identifier, e.g. supported_housing")
    description: str = ""
    share: float = Field(gt=0, le=1, description="share of the outcome's joint input it gets")
    lag: float = Field(ge=1, le=120, description="mean months from effort to effect")
    relative_cost: float = Field(
        1.0, gt=0, le=1000, description="cost per case as a multiple of the outcome's unit_cost"
    )
    joined_up: float = Field(
        1.0,
        ge=0,
        le=1,
        description="how far its output depends on joined-up working (1: integrated multi-agency "
        "work such as the RSU's, whose cost per case fell 42%; 0: one provider's product such as "
        "a childcare place, cost-neutral under a partnership, 002 ¶18)",
    )


class ClientGroupSpec(Strict):
    """A group of clients of an outcome (002 ¶11–12; mechanisms/clients.py)."""

    name: str = Field(pattern=NAME, description="identifier, e.g. shift_workers")
    description: str = ""
    share: float = Field(gt=0, le=1, description="share of the need and of new cases")
    fit: float = Field(
        1.0, ge=0, le=1, description="how well standard services fit the group (1 = fully)"
    )
    awareness: float = Field(
        1.0, ge=0, le=1, description="baseline share aware of the joined-up service"
    )


def _named_shares(items: list, what: str) -> list:
    """Items with a ``name`` and a ``share``: shares sum to 1 (if any), names are unique."""
    total = sum(x.share for x in items)
    if items and abs(total - 1.0) > 1e-6:
        raise ValueError(f"{what} shares must sum to 1, got {total:g}")
    names = [x.name for x in items]
    if len(set(names)) != len(names):
        raise ValueError(f"{what} names must be unique, got {names}")
    return items


class OutcomeSpec(Strict):
    """A cross-cutting outcome: a stock of need that several agencies must work on together."""

    name: str = Field(pattern=NAME, max_length=64)
    description: str = Field("", max_length=10_000)
    contributors: dict[str, float] = Field(
        min_length=1, max_length=MAX_AGENCIES, description="agency -> role weight (> 0, <= 1000)"
    )
    initial_need: float = Field(gt=0, le=1e8, description="cases at month 0 (at most 100 million)")
    inflow: float = Field(ge=0, le=1e8, description="new cases per month (at most 100 million)")
    exit_rate: float = Field(0.03, ge=0, le=1, description="monthly share leaving need unaided")
    unit_cost: float = Field(
        gt=0, le=1e6, description="£k per case resolved at perfect coordination (at most £1bn)"
    )
    lag: float = Field(6.0, ge=1, le=120, description="mean months from effort to effect")
    half_saturation: float = Field(
        300.0, ge=0, le=1e8, description="cases; the last cases are harder"
    )
    target: float = Field(ge=0, le=1e8, description="need level to reach (cases)")
    deadline: int = Field(36, ge=1, le=600, description="month the target is due")
    services: list[ServiceSpec] = Field(
        default_factory=list,
        description="types of provision (default: one, with this outcome's unit_cost and lag)",
    )
    client_groups: list[ClientGroupSpec] = Field(
        default_factory=list,
        description="client groups (default: one group, fully aware, fully fitted)",
    )
    bounce: float = Field(
        0.0,
        ge=0,
        le=1,
        description="share of willing clients lost between agencies sharing no client list",
    )

    @field_validator("client_groups")
    @classmethod
    def _group_shares(cls, v: list[ClientGroupSpec]) -> list[ClientGroupSpec]:
        return _named_shares(v, "client group")

    @field_validator("services")
    @classmethod
    def _shares(cls, v: list[ServiceSpec]) -> list[ServiceSpec]:
        return _named_shares(v, "service")

    @field_validator("contributors")
    @classmethod
    def _positive(cls, v: dict[str, float]) -> dict[str, float]:
        for k, w in v.items():
            if not 0 < w <= 1000:
                raise ValueError(f"role weight of {k!r} must be > 0 and <= 1000, got {w}")
        return v


class SpilloverSpec(Strict):
    """A spillover channel: where the hard cases an agency pushes out land (mechanisms/spillover.py)."""

    source: str = Field(pattern=NAME, description="agency that may push hard cases out")
    outcome: str = Field(pattern=NAME, description="outcome whose need receives the cases")
    cases: float = Field(
        ge=0, le=1e6, description="cases a month pushed out when the source shifts all it can"
    )
    payer: str = Field(
        "", pattern=r"^([a-z][a-z0-9_]*)?$", description="agency whose budget bears the cost"
    )
    cost: float = Field(0.0, ge=0, le=1e6, description="£k charged to the payer per case")
    note: str = Field("", max_length=2000, description="source or reasoning for the numbers")


class Context(Strict):
    """Uncertainties: the context nobody in the scenario controls."""

    churn_scale: float = Field(1.0, ge=0, le=20, description="multiplies every agency's churn")
    budget_change: float = Field(
        0.0, ge=-0.5, le=0.5, description="real-terms budget change per year (-0.1 = 10% cut)"
    )
    staff_cost: float = Field(5.0, gt=0, le=1000, description="£k per member of staff per month")


class Parameters(Strict):
    """Mechanism parameters, one table per mechanism (see each module's docstring)."""

    accountability: AccountabilityParams = AccountabilityParams()
    churn: ChurnParams = ChurnParams()
    contact: ContactParams = ContactParams()
    decision: DecisionParams = DecisionParams()
    overhead: OverheadParams = OverheadParams()
    production: ProductionParams = ProductionParams()
    ties: TieParams = TieParams()
    trust: TrustParams = TrustParams()
    understanding: UnderstandingParams = UnderstandingParams()
    partnership: PartnershipParams = PartnershipParams()
    own_targets: OwnTargetParams = OwnTargetParams()
    clients: ClientParams = ClientParams()
    platforms: PlatformParams = PlatformParams()
    mobility: MobilityParams = MobilityParams()
    funding: FundingParams = FundingParams()
    mainstreaming: MainstreamingParams = MainstreamingParams()
    defensive: DefensiveParams = DefensiveParams()
    spillover: SpilloverParams = SpilloverParams()
    capacity: CapacityParams = CapacityParams()
    formality: FormalityParams = FormalityParams()
    scrutiny: ScrutinyParams = ScrutinyParams()


class Scenario(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    horizon: int = Field(60, ge=1, le=1200, description="months to simulate")
    initial_ties: float = Field(
        4.0,
        ge=0,
        le=10_000,
        description="expected staff ties at month 0 per agency pair sharing an outcome",
    )
    agencies: list[AgencySpec] = Field(min_length=2, max_length=MAX_AGENCIES)
    outcomes: list[OutcomeSpec] = Field(min_length=1, max_length=MAX_OUTCOMES)
    context: Context = Context()
    parameters: Parameters = Parameters()
    interventions: list[Any] = Field(default_factory=list)
    source: str = Field("<memory>", exclude=True)
    spillovers: list[SpilloverSpec] = Field(
        default_factory=list, max_length=1000, description="spillover channels (cost shifting)"
    )

    @property
    def agency_names(self) -> list[str]:
        return [a.name for a in self.agencies]

    @property
    def outcome_names(self) -> list[str]:
        return [o.name for o in self.outcomes]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (what a TOML file would hold), interventions included."""
        d = self.model_dump(exclude={"interventions", "source"})
        d["interventions"] = [iv.to_dict() for iv in self.interventions]
        return d

    def with_overrides(self, overrides: dict[str, Any], source: str | None = None) -> Scenario:
        """A validated copy with dotted-path overrides, e.g. ``{"context.churn_scale": 1.5}``.

        Paths: ``context.X``, ``parameters.MECH.X``, ``horizon``, ``agencies.NAME.X``,
        ``outcomes.NAME.X``, ``interventions.TYPE.X`` (first intervention of that type) or
        ``interventions[K].X``. Inside a list of named tables a part names the entry
        (``outcomes.early_years.client_groups.shift_workers.fit``); inside other lists, its
        position (``spillovers.0.cases``).
        """
        data = self.to_dict()
        for path, value in overrides.items():
            set_path(data, path, copy.deepcopy(value), source or self.source)
        return parse_scenario(data, source or self.source, owned=True)

    def with_interventions(self, interventions: list[dict[str, Any]]) -> Scenario:
        """A validated copy with the intervention list replaced."""
        data = self.to_dict()
        data["interventions"] = copy.deepcopy(interventions)
        return parse_scenario(data, self.source, owned=True)


class ScenarioError(ValueError):
    """A bad scenario, sweep or override: names file, field, value and what is allowed."""

    def __init__(self, problems: list[tuple[str, str, Any, str]]):
        self.problems = problems
        super().__init__(
            "\n".join(
                f"{file}: field '{fld}' = {_show(val)} is not valid: {allowed}"
                for file, fld, val, allowed in problems
            )
        )

    def __reduce__(self) -> tuple[Any, ...]:  # raised in a worker process, it crosses intact
        return (ScenarioError, (self.problems,))


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


_MISSING = object()


def _loc(loc: tuple[Any, ...], data: Any) -> str:
    """Readable field path: list items of named things show their name."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            name = (
                node[part].get("name")
                if isinstance(node, list) and isinstance(node[part], dict)
                else None
            )
            out += f"[{part}]" + (f"({name})" if name else "")
        else:
            out += ("." if out else "") + str(part)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            node = None
    return out


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return _MISSING
    return node


def _problems(err: ValidationError, data: Any, file: str) -> list:
    out = []
    for e in err.errors():
        loc = tuple(e["loc"])
        value = _value_at(data, loc)
        if e["type"] == "extra_forbidden":
            allowed = "unknown key (check the spelling; see docs/user-guide.md for the schema)"
        elif e["type"] == "missing":
            allowed = "required field is missing"
        else:
            allowed = e["msg"].removeprefix("Value error, ")
        out.append(
            (
                file,
                _loc(loc, data),
                "<missing>" if value is _MISSING else value,
                allowed,
            )
        )
    return out


def parse_scenario(data: dict[str, Any], source: str = "<memory>", owned: bool = False) -> Scenario:
    """Validate plain data (as read from TOML) into a Scenario, or raise ScenarioError.

    ``owned``: ``data`` is a fresh copy nobody else holds (``Scenario.with_overrides``), so it is
    changed in place rather than deep-copied first (half the time of a scenario per draw)."""
    from jusim.interventions import REGISTRY

    if not isinstance(data, dict):
        raise ScenarioError([(source, "<file>", type(data).__name__, "a table of scenario fields")])
    if depth(data, MAX_NESTING) > MAX_NESTING:
        raise ScenarioError(
            [(source, "<file>", "deeply nested tables", f"at most {MAX_NESTING} levels of nesting")]
        )
    data = data if owned else copy.deepcopy(data)
    data.pop("base", None)
    if "source" in data:  # set by jusim from the file's path; a user's value would be ignored
        problems_source = [(source, "source", data.pop("source"), "unknown key (jusim sets it)")]
    else:
        problems_source = []
    raw_ivs = data.pop("interventions", []) or []
    problems: list = problems_source
    if isinstance(raw_ivs, list) and len(raw_ivs) > MAX_INTERVENTIONS:
        problems.append(
            (
                source,
                "interventions",
                f"{len(raw_ivs)} interventions",
                f"at most {MAX_INTERVENTIONS}",
            )
        )
        raw_ivs = []
    scenario = None
    try:
        scenario = Scenario.model_validate({**data, "source": source})
    except ValidationError as err:
        problems += _problems(err, data, source)
    if not isinstance(raw_ivs, list):
        problems.append((source, "interventions", raw_ivs, "a list of [[interventions]] tables"))
        raw_ivs = []
    ivs = []
    for k, raw in enumerate(raw_ivs):
        where = f"interventions[{k}]"
        if not isinstance(raw, dict) or "type" not in raw:
            problems.append((source, f"{where}.type", "<missing>", f"one of {sorted(REGISTRY)}"))
            continue
        kind = raw["type"]
        if not isinstance(kind, str) or kind not in REGISTRY:
            problems.append((source, f"{where}.type", kind, f"one of {sorted(REGISTRY)}"))
            continue
        body = {k2: v for k2, v in raw.items() if k2 != "type"}
        try:
            ivs.append(REGISTRY[kind].model_validate(body))
        except ValidationError as err:
            for file, fld, val, allowed in _problems(err, body, source):
                problems.append((file, f"{where}({kind}).{fld}", val, allowed))
            if scenario is not None:  # still report names that do not exist
                for fld, val, allowed in _name_check(scenario, body):
                    problems.append((source, f"{where}({kind}).{fld}", val, allowed))
    if scenario is not None:
        problems += _cross_check(scenario, ivs, source)
    if problems:
        raise ScenarioError(problems)
    return scenario.model_copy(update={"interventions": ivs})


def _cross_check(s: Scenario, ivs: list, source: str) -> list:
    problems = []
    names = s.agency_names
    for k, name in enumerate(names):
        if names.index(name) != k:
            problems.append((source, f"agencies[{k}].name", name, "agency names must be unique"))
    onames = s.outcome_names
    for k, o in enumerate(s.outcomes):
        if onames.index(o.name) != k:
            problems.append((source, f"outcomes[{k}].name", o.name, "outcome names must be unique"))
        for agency in o.contributors:
            if agency not in names:
                problems.append(
                    (
                        source,
                        f"outcomes[{k}]({o.name}).contributors",
                        agency,
                        f"an agency of this scenario: {names}",
                    )
                )
        if o.target > o.initial_need - MIN_TARGET_GAP:
            problems.append(
                (
                    source,
                    f"outcomes[{k}]({o.name}).target",
                    o.target,
                    f"a need level at least {MIN_TARGET_GAP:g} case below initial_need "
                    f"({o.initial_need:g}), so attainment has a meaningful scale",
                )
            )
    for k, ch in enumerate(s.spillovers):
        for fld, val, allowed in (
            ("source", ch.source, names),
            ("outcome", ch.outcome, onames),
            ("payer", ch.payer, names),
        ):
            if val and val not in allowed:
                what = "an agency" if fld != "outcome" else "an outcome"
                problems.append(
                    (source, f"spillovers[{k}].{fld}", val, f"{what} of this scenario: {allowed}")
                )
    for k, iv in enumerate(ivs):
        for fld, val, allowed in iv.check(s):
            problems.append((source, f"interventions[{k}]({iv.name}).{fld}", val, allowed))
    # agencies that interventions add must not take a name already in use
    taken = set(names)
    for k, iv in enumerate(ivs):
        try:
            added = iv.new_agencies(s)
        except ValidationError as err:  # a field of the agency it adds (its name) is not valid
            for _, fld, val, allowed in _problems(err, {}, source):
                problems.append(
                    (source, f"interventions[{k}]({iv.name}) adds agency {fld}", val, allowed)
                )
            continue
        for a in added:
            if a.name in taken and a.name not in names:
                problems.append(
                    (
                        source,
                        f"interventions[{k}]({iv.name})",
                        a.name,
                        "a name for the agency it adds not used by another intervention "
                        "(set e.g. 'unit' to a new name)",
                    )
                )
            taken.add(a.name)
    if len(taken) > MAX_AGENCIES:
        problems.append(
            (source, "agencies", f"{len(taken)} agencies", f"at most {MAX_AGENCIES} agencies")
        )
    total_staff = sum(a.staff for a in s.agencies)
    if total_staff > MAX_STAFF:
        problems.append(
            (
                source,
                "agencies.staff",
                f"{total_staff} staff in all",
                f"at most {MAX_STAFF:,} staff over all agencies",
            )
        )
    return problems


def _name_check(s: Scenario, body: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """Outcome and agency names in an intervention table that failed validation."""
    out = []
    if isinstance(body.get("outcome"), str) and body["outcome"] not in s.outcome_names:
        out.append(("outcome", body["outcome"], f"one of {s.outcome_names}"))
    for key in ("host",):
        if isinstance(body.get(key), str) and body[key] not in s.agency_names:
            out.append((key, body[key], f"an agency of this scenario: {s.agency_names}"))
    for m in body.get("members") or []:
        if isinstance(m, str) and m not in s.agency_names:
            out.append(("members", m, f"agencies of this scenario: {s.agency_names}"))
    return out


def _merge(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in child.items():
        if key == "interventions" and isinstance(value, list):
            old = out.get(key, [])
            out[key] = (list(old) if isinstance(old, list) else []) + list(value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_toml_file(path: Path, field: str = "<file>") -> dict[str, Any]:
    """Parse a TOML file (scenario or experiment): size and nesting limited, errors name the file."""
    path = Path(path)
    try:
        if not path.is_file():
            what = "a TOML file, not a folder" if path.is_dir() else "an existing TOML file"
            raise ScenarioError([(str(path), field, str(path), what)])
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(
                [
                    (
                        str(path),
                        field,
                        f"{path.stat().st_size:,} bytes",
                        f"at most {MAX_FILE_BYTES:,}",
                    )
                ]
            )
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except ScenarioError:
        raise
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError([(str(path), "<syntax>", str(err), "valid TOML")]) from None
    except RecursionError:
        raise ScenarioError(
            [(str(path), "<syntax>", "deeply nested", f"at most {MAX_NESTING} levels of nesting")]
        ) from None
    except (OSError, ValueError) as err:  # ValueError: undecodable text, a NUL in the path
        raise ScenarioError(
            [(str(path), field, _oserror(err), "a readable UTF-8 TOML file")]
        ) from None
    if depth(data, MAX_NESTING) > MAX_NESTING:
        raise ScenarioError(
            [(str(path), "<file>", "deeply nested", f"at most {MAX_NESTING} levels of nesting")]
        )
    return data


def _oserror(err: Exception) -> str:
    """A file-system error in a few words (no Python class names)."""
    if isinstance(err, OSError) and err.strerror:
        return err.strerror
    return str(err)[:200]


def _base_path(path: Path, base: str) -> Path | None:
    """The file a ``base`` reference names, or None if it names none."""
    if not base or len(base) > 1000 or "\x00" in base:
        return None
    try:
        base_path = (path.parent / base).resolve()
        if not base_path.exists() and not Path(base).suffix:  # a shipped scenario's name
            base_path = (scenario_dir() / f"{base}.toml").resolve()
        return base_path if base_path.is_file() else None
    except (OSError, ValueError, RuntimeError):
        return None


def read_toml(path: Path, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Read a scenario file, following ``base`` chains; errors name the file."""
    path = Path(path)
    try:
        missing = not path.suffix and not path.exists()
    except (OSError, ValueError):
        missing = False
    if missing:
        shipped = sorted(p.stem for p in scenario_dir().glob("*.toml"))
        allowed = f"an existing scenario file, or a shipped scenario name: {', '.join(shipped)}"
        raise ScenarioError([(str(path), "<file>", str(path), allowed)])
    data = load_toml_file(path)
    base = data.get("base")
    if base is None:
        return data
    if not isinstance(base, str):
        raise ScenarioError([(str(path), "base", base, "a path to another scenario file")])
    if len(_seen) >= MAX_BASE_CHAIN:
        raise ScenarioError(
            [(str(path), "base", base, f"a chain of at most {MAX_BASE_CHAIN} base files")]
        )
    base_path = _base_path(path, base)
    if base_path is None:
        raise ScenarioError(
            [(str(path), "base", base, "a scenario file relative to this one, or a shipped name")]
        )
    if base_path in _seen or base_path == path.resolve():
        raise ScenarioError(
            [(str(path), "base", base, "a file that does not (indirectly) include itself")]
        )
    parent = read_toml(base_path, (*_seen, path.resolve()))
    parent.pop("base", None)
    for key in ("name", "description"):
        parent.pop(key, None)
    return _merge(parent, {k: v for k, v in data.items() if k != "base"})


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file (or a shipped scenario's name, e.g. ``"silo"``)."""
    path = resolve_scenario_path(path)
    data = read_toml(path)
    data.setdefault("name", path.stem)
    return parse_scenario(data, str(path))


def scenario_dir() -> Path:
    """The shipped scenarios: the repository's ``scenarios/`` or the installed copy."""
    repo = Path(__file__).resolve().parent.parent / "scenarios"
    if repo.is_dir():
        return repo
    return Path(__file__).resolve().parent / "_data" / "scenarios"


def resolve_scenario_path(path: str | Path) -> Path:
    p = Path(path)
    try:
        if p.exists() or p.suffix:
            return p
        shipped = scenario_dir() / f"{p}.toml"
        return shipped if shipped.exists() else p
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL
        return p


def set_path(data: dict[str, Any], path: str, value: Any, source: str = "<overrides>") -> None:
    """Set a dotted path in scenario data (see ``Scenario.with_overrides``)."""
    parts = path.split(".")
    head = parts[0]
    if head in ("base", "source"):
        raise ScenarioError(
            [(source, path, value, "a setting of the scenario, not its 'base' or 'source'")]
        )
    if head in ("agencies", "outcomes") and len(parts) >= 3:
        items = {x["name"]: x for x in data[head]}
        if parts[1] not in items:
            raise ScenarioError(
                [(source, path, value, f"{head} of this scenario: {sorted(items)}")]
            )
        node, rest = items[parts[1]], parts[2:]
    elif head == "interventions" and len(parts) >= 3:
        match = [x for x in data["interventions"] if x.get("type") == parts[1]]
        if not match:
            present = [x.get("type") for x in data["interventions"]]
            raise ScenarioError(
                [(source, path, value, f"an intervention in this scenario: {present}")]
            )
        node, rest = match[0], parts[2:]
    elif head.startswith("interventions[") and head.endswith("]"):
        index = head[len("interventions[") : -1]
        n = len(data["interventions"])
        if not index.isdigit() or int(index) >= n:
            raise ScenarioError([(source, path, value, f"an intervention index from 0 to {n - 1}")])
        node, rest = data["interventions"][int(index)], parts[1:]
    else:
        node, rest = data, parts
    for part in rest[:-1]:
        if isinstance(node, list):  # a list of named tables (services, client groups) or rows
            item = _item(node, part)
            if item is None:
                raise ScenarioError([(source, path, value, _items_allowed(node))])
            node = item
        else:
            node = node.setdefault(part, {})
        if not isinstance(node, dict | list):
            raise ScenarioError([(source, path, value, "a path to a setting")])
    if not isinstance(node, dict):
        raise ScenarioError([(source, path, value, "a path to a setting inside a table")])
    node[rest[-1]] = value


def _item(items: list, key: str) -> Any:
    """The list entry a path part names: by its ``name`` field, or by position (``0``, ``1``)."""
    for x in items:
        if isinstance(x, dict) and x.get("name") == key:
            return x
    if key.isdigit() and int(key) < len(items):
        return items[int(key)]
    return None


def _items_allowed(items: list) -> str:
    names = [x["name"] for x in items if isinstance(x, dict) and "name" in x]
    if names:
        return f"the name of an entry of this list: {names}"
    return f"an index of this list from 0 to {len(items) - 1}"


def get_path(data: dict[str, Any], path: str) -> Any:
    """The value a dotted override path (see ``set_path``) points at; KeyError if none."""
    parts = path.split(".")
    head = parts[0]
    if head in ("agencies", "outcomes") and len(parts) >= 3:
        node, rest = {x["name"]: x for x in data[head]}[parts[1]], parts[2:]
    elif head == "interventions" and len(parts) >= 3:
        match = [x for x in data["interventions"] if x.get("type") == parts[1]]
        if not match:
            raise KeyError(path)
        node, rest = match[0], parts[2:]
    elif head.startswith("interventions[") and head.endswith("]"):
        node, rest = data["interventions"][int(head[len("interventions[") : -1])], parts[1:]
    else:
        node, rest = data, parts
    for part in rest:
        if isinstance(node, list):
            node = _item(node, part)
            if node is None:
                raise KeyError(path)
        else:
            node = node[part]
    return node
