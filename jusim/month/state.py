"""The state a run carries from month to month, the rules of one month, and the month's flows.

- ``State``: everything a run holds between months (agency, pair, outcome and client arrays, the
  staff roster, the partnerships, the scrutiny record, the rules in force); the phases of
  ``jusim/month/`` read and write it, and nothing else does. ``JoinedUpModel`` owns one and shows
  its fields as its own attributes (``model.trust`` is ``model.state.trust``).
- ``Rules``: this month's rules of the game, set afresh by the interventions every month.
- ``Flows``: money and work of the month being stepped (budgets after charges, overhead, committed
  money and the fit that scales it, the split of free resources, production), made by one phase
  and read by later ones; a new one each month.
- ``RunView``: what an intervention may read and write (world, parameters, rules, partnerships,
  roster, month, streams, budget, need). Interventions are typed against it, so they do not import
  the model class; ``State`` is one.

Storage (docs/design-notes.md item 16): the array fields of these records are columns of a
``Table``, one (R, ...) array per field for the R runs stepped together (``jusim/month/runs.py``),
and each run's record reads and writes its row. A record made alone (``initial_state``,
``Rules.empty``, ``Flows()``) is the one row of a table of its own; a ``Runs`` of several runs
adopts their records into one table (the rows copied once). The other fields (objects: the
roster, the partnerships, the streams...) stay plain attributes of each run.

This module imports only numpy at run time (the rest for type hints); ``jusim/month/initial.py``
builds the state at month 0.
"""

from __future__ import annotations

import weakref
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np

if TYPE_CHECKING:
    from jusim.mechanisms import platforms, scrutiny
    from jusim.partnership import Partnerships
    from jusim.scenario import Parameters, Scenario
    from jusim.staff import StaffRoster
    from jusim.world import World


class Table:
    """The array fields of the records of R runs (their ``State``s, ``Rules`` or ``Flows``), one
    column per field: a block, an (R, ...) array whose row r is run r's value, or, for a field
    whose runs' values are not arrays of one shape and type (``None``, per-run lists of
    partnerships), a list of R values (docs/design-notes.md item 16).

    - ``stack(name)``: the block itself, no copy. A phase must not write it in place: it computes
      new arrays and ``put``s them. ``Table.checked = True`` (the tests) makes ``stack`` return
      read-only views, so that a phase that writes a block in place fails loudly; off by default
      because making a read-only view costs about as much as the rest of ``stack`` and ``put``.
      A list column of arrays of one shape is stacked once and kept as the block.
    - ``put(name, values)``: ``values`` (R, ...) becomes the block, without a copy: the phase
      hands it over and must not change it afterwards. A sequence of R values becomes a list.
    - A run's record reads its row (a view of the block, the same object until the column
      changes) and writes it: in a table of several runs, an array of the row's shape and type is
      copied into the row, the block first copied if it is read-only (a stacked block, a world's
      array or a broadcast put as a field: copy on write), so a run's write never reaches another
      run, another field or a world; anything else makes the column a list of the runs' values
      until the next ``put`` or ``stack``. In a table of one run, assigning rebinds the row to
      the value given, as a plain attribute would.

    References (docs/design-notes.md item 16): a record refers to its table, and the table to
    its records only where ``put`` may set a plain attribute of them (a kind with fields that
    are not columns: ``State``); its blocks refer back to it weakly. So last month's rules and
    flows, tables and blocks, hold no reference cycle: reference counting frees them as soon as
    nothing else holds them, without waiting for a collection.
    """

    checked = False  # stack gives read-only views (set by tests; class-wide)

    __slots__ = ("__weakref__", "batch", "blocks", "kind", "n", "records", "ro", "rows")

    def __init__(self, kind: type, n: int) -> None:
        self.kind = kind
        self.n = n
        self.blocks: dict[str, np.ndarray] = _Blocks(self)
        self.rows: dict[str, list[Any]] = {}  # a list column, or the rows of a block (kept)
        self.ro: dict[str, np.ndarray] = {}  # read-only views of the blocks (checked)
        self.records: list[Any] = []  # (only for a kind with plain attributes: ``_plain``)
        self.batch: Any = None  # what runs.Runs keeps for these runs from month to month

    @classmethod
    def adopt(cls, records: list[Any]) -> Table:
        """One table for ``records`` (each run's record of one kind), each record's values
        gathered into it (copied, for several runs; a record alone keeps its own table)."""
        kind = type(records[0])
        n = len(records)
        mine = records[0].__dict__.get("_t")
        if n == 1 and mine is not None and mine.n == 1:
            if kind._plain:
                mine.records = records
            return mine
        table = cls(kind, n)
        for name in kind._columns:
            values = [getattr(r, name) for r in records]
            if n > 1 and same_arrays(values):
                table.blocks[name] = np.stack(values)
            else:
                table.rows[name] = values
        for r, record in enumerate(records):
            record.__dict__.update(_t=table, _r=r)
        if kind._plain:
            table.records = records
        return table

    def bound(self) -> list[Any]:
        """New records of this table's kind, one per row (``Flows`` of a month)."""
        records = [self.kind._bound(self, r) for r in range(self.n)]
        if self.kind._plain:
            self.records = records
        return records

    def values(self, name: str) -> list[Any]:
        """The runs' values of a column, one per run (the rows of a block: views)."""
        rows = self.rows.get(name)
        if rows is None:
            block = self.blocks.get(name)
            if block is not None:
                rows = [block[0]] if self.n == 1 else list(block)
            else:
                default = self.kind._defaults.get(name, MISSING)
                if default is not MISSING:
                    rows = [default] * self.n
                elif name in self.kind._factories:  # (a new value for each run)
                    rows = [self.kind._factories[name]() for _ in range(self.n)]
                else:
                    raise AttributeError(f"{self.kind.__name__}.{name} has no value")
            self.rows[name] = rows
        return rows

    def set(self, name: str, r: int, value: Any) -> None:
        """Run ``r``'s value of a column."""
        self.ro.pop(name, None)
        if self.n == 1:  # a run alone: its value, as a plain attribute
            self.rows[name] = [value]
            self.blocks.pop(name, None)
            return
        block = self.blocks.get(name)
        if block is not None:
            if (
                type(value) is np.ndarray
                and value.shape == block.shape[1:]
                and value.dtype == block.dtype
            ):
                if not block.flags.writeable or block.strides[0] == 0:  # copy on write
                    block = self.blocks[name] = block.copy(order="K")
                    self.rows.pop(name, None)
                block[r] = value
                return
            rows = self.values(name)  # (the rows, then this run's own value)
            del self.blocks[name]
        else:
            rows = self.values(name)
        rows[r] = value

    def reader(self) -> Any:
        """``stack``, as the blocks' own lookup when not ``checked`` (a C call: the phases of a
        run alone read some 110 blocks a month, and a Python call each cost more than the read)."""
        return self.stack if Table.checked else self.blocks.__getitem__

    def gather(self, name: str) -> np.ndarray:
        """A column not yet a block: made one (kept), or gathered afresh (not kept) where the
        runs' values are not arrays of one shape and type."""
        rows = self.values(name)
        if self.n == 1 and isinstance(rows[0], np.ndarray):
            block = rows[0][None]  # (the run's own array: no copy)
        elif same_arrays(rows):
            block = np.stack(rows)
            del self.rows[name]  # (now the rows of the block)
        else:  # not arrays of one shape and type: gathered each time
            return np.stack(rows)
        self.blocks[name] = block
        return block

    def stack(self, name: str) -> np.ndarray:
        """The column as an (R, ...) array: the block itself (read-only if ``checked``)."""
        block = self.blocks.get(name)
        if block is None:
            block = self.gather(name)
            if name not in self.blocks:  # (gathered afresh)
                return block
        if Table.checked:
            ro = self.ro.get(name)
            if ro is None:
                ro = self.ro[name] = block.view()
                ro.flags.writeable = False
            return ro
        return block

    def put(self, name: str, values: Any) -> None:
        """Replace a column: an (R, ...) array becomes its block, a sequence of R values a list."""
        if type(values) is np.ndarray and name in self.kind._column_set:  # (the common case)
            if values is not self.blocks.get(name):  # (the block put back: its rows stay)
                if values.ndim == 0 or len(values) != self.n:
                    self._wrong_shape(name, values)
                self.blocks[name] = values
                self.rows.pop(name, None)
                if self.ro:
                    self.ro.pop(name, None)
            return
        if name not in self.kind._column_set:  # a plain attribute of each record
            if not self.kind._plain:
                raise AttributeError(f"{self.kind.__name__} has no field {name!r}")
            for record, v in zip(self.records, values, strict=True):
                setattr(record, name, v)
            return
        if isinstance(values, np.ndarray):
            if values is self.blocks.get(name):  # (the block put back: its rows stay)
                return
            if values.ndim == 0 or len(values) != self.n:
                self._wrong_shape(name, values)
            if type(values) is not np.ndarray:
                values = values.view(np.ndarray)
            self.blocks[name] = values
            self.rows.pop(name, None)
        else:
            values = list(values)
            if len(values) != self.n:
                raise ValueError(
                    f"{self.kind.__name__}.{name}: {len(values)} values put for {self.n} runs"
                )
            self.blocks.pop(name, None)
            self.rows[name] = values
        if self.ro:
            self.ro.pop(name, None)

    def _wrong_shape(self, name: str, values: np.ndarray) -> None:
        raise ValueError(
            f"{self.kind.__name__}.{name}: an array of shape {values.shape} put for "
            f"{self.n} runs (the first axis must be the run axis)"
        )

    def renew(self, blocks: dict[str, np.ndarray], lists: dict[str, list[Any]]) -> None:
        """Every column afresh: a copy of each block of ``blocks`` (one call a field for all
        runs), a copy of each list of ``lists``, the other columns at their defaults."""
        self.blocks = _Blocks(self, {name: b.copy() for name, b in blocks.items()})
        self.rows = {
            name: [v.copy() if isinstance(v, np.ndarray) else v for v in values]
            for name, values in lists.items()
        }
        self.ro = {}


class _Blocks(dict):
    """A table's blocks by name; a column not yet a block is gathered on first lookup. Refers
    to its table weakly (the table holds it: no cycle)."""

    __slots__ = ("table",)

    def __init__(self, table: Table, blocks: dict[str, np.ndarray] | None = None) -> None:
        super().__init__(blocks or {})
        self.table = weakref.ref(table)

    def __missing__(self, name: str) -> np.ndarray:
        return self.table().gather(name)


def same_arrays(values: list[Any]) -> bool:
    """Arrays of one shape and type (so that stacked, each is a row of the block)."""
    first = values[0]
    if type(first) is not np.ndarray:
        return False
    shape, dtype = first.shape, first.dtype
    return all(type(v) is np.ndarray and v.shape == shape and v.dtype == dtype for v in values[1:])


class _Column:
    """A record's field stored in its table: reads and writes the record's row."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, record: Any, kind: Any = None) -> Any:
        if record is None:
            return self
        table = record._t
        rows = table.rows.get(self.name)
        if rows is None:
            rows = table.values(self.name)
        return rows[record._r]

    def __set__(self, record: Any, value: Any) -> None:
        table = record.__dict__.get("_t")
        if table is None:  # a record made alone: a table of its own
            table = Table(type(record), 1)
            if table.kind._plain:
                table.records = [record]
            record.__dict__.update(_t=table, _r=0)
        table.set(self.name, record._r, value)


class _Record:
    """A record whose array fields are columns of a ``Table`` (see ``_columns``)."""

    _columns: ClassVar[tuple[str, ...]] = ()
    _column_set: ClassVar[frozenset[str]] = frozenset()
    _plain: ClassVar[bool] = False  # fields that are not columns (set through ``Table.put``)
    _defaults: ClassVar[dict[str, Any]] = {}
    _factories: ClassVar[dict[str, Any]] = {}

    @classmethod
    def _bound(cls, table: Table, r: int) -> Any:
        record = object.__new__(cls)
        record.__dict__.update(_t=table, _r=r)
        return record

    def __getstate__(self) -> dict[str, Any]:  # (pickle and copy: the record's own values)
        state = {k: v for k, v in self.__dict__.items() if k not in ("_t", "_r")}
        state.update((name, getattr(self, name)) for name in self._columns)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)


def _columns(kind: type, every_field: bool = False) -> None:
    """Store ``kind``'s array fields (annotated ``np.ndarray``, or ``np.ndarray | None``; with
    ``every_field``, all its fields) in tables. Derived from the dataclass, so a field added to
    it needs nothing more."""
    names = []
    for f in fields(kind):
        parts = {p.strip() for p in str(f.type).split("|")}
        if every_field or ("np.ndarray" in parts and parts <= {"np.ndarray", "None"}):
            names.append(f.name)
    kind._columns = tuple(names)
    kind._column_set = frozenset(names)
    kind._plain = len(names) < len(fields(kind))
    kind._defaults = {f.name: f.default for f in fields(kind) if f.default is not MISSING}
    kind._factories = {
        f.name: f.default_factory for f in fields(kind) if f.default_factory is not MISSING
    }
    for name in names:
        setattr(kind, name, _Column(name))


@dataclass
class Rules(_Record):
    """This month's rules of the game, set afresh by the interventions every month."""

    shared_target: np.ndarray  # (O, A) weight of the outcome in the agency's accountability
    sponsor: np.ndarray  # (O, A) sponsor priority felt by each agency
    pool_share: np.ndarray  # (O, A) share of discretionary budget pooled for the outcome
    membership: np.ndarray  # (O, A) bool: sits on the outcome's partnership
    focused: np.ndarray  # (O, A) £k/month of seconded staff salaries spent on the outcome
    focused_input: np.ndarray  # (O, A) what that seconded time is worth as input (focus x)
    funded: np.ndarray  # (O, A) bool: the outcome's pot pays for this agency's work
    practice: np.ndarray  # (O, A) exposure to a unit's ways of working (it practises them)
    succession: np.ndarray  # (O, A) monthly adoption added by a succession plan
    alignment: np.ndarray  # (A,) pull of divisions' openness toward the agency's (commitment)
    reorganisation: np.ndarray  # (A,) £k/month spent reorganising (merger), paid like overhead
    extra_churn: np.ndarray  # (A,) extra monthly leaving hazard (merger disruption)
    service_share: np.ndarray | None = None  # (S,) share of joint input per type of provision
    # clients (mechanisms/clients.py), set to zeros by the model each month:
    outreach: np.ndarray | None = None  # (O, G) outreach adapting services to each client group
    publicity: np.ndarray | None = None  # (O, G) visibility of the service to each group
    client_list: np.ndarray | None = None  # (O,) 0-1: agencies share a client list
    single_point: np.ndarray | None = None  # (O,) 0-1: one point of access for clients
    # (A,) senior/administrative time demanded this month by partnership seats, meetings,
    # consultations and reports, in months of partnership administration at admin capacity 1
    admin_demand: np.ndarray | None = None
    # platforms (mechanisms/platforms.py), set by the model each month:
    platform: np.ndarray | None = None  # (A,) whose platform each agency's transactions use
    recharge: np.ndarray | None = None  # (A,) share of saved fixed cost a user pays its host
    migration: np.ndarray | None = None  # (A,) £k/month of migration cost charged this month
    training: np.ndarray | None = None  # (A, A) extra contact from joint training
    handover: np.ndarray | None = None  # (A,) handover quality (world value unless raised)
    good_practice: np.ndarray | None = None  # (O, A) share of the gap to the best partner learnt
    buy_in: np.ndarray | None = None  # (O, A) members' ownership of their partnership (0–1)
    leak: np.ndarray | None = None  # (A,) share of partners' trust lost by a scheduled leak
    narrow_lift: np.ndarray | None = None  # (A,) rise in measured own attainment per case shifted
    capacity_boost: np.ndarray | None = None  # (A,) admin-months a month added (capacity building)
    report_factor: np.ndarray | None = None  # (A,) reporting demand relative to normal (1)
    budget_charge: np.ndarray | None = None  # (A,) £k charged to (< 0: granted to) each budget
    learning_boost: np.ndarray | None = None  # (O, A) extra speed of learning (feedback)
    # scrutiny (mechanisms/scrutiny.py), set by consensus_to_operate:
    dispensation: np.ndarray | None = None  # (O, A) share of the penalty for failure waived
    detection: np.ndarray | None = None  # (O,) months failing before wind-up (inf: never)

    @classmethod
    def empty(cls, n_outcomes: int, n_agencies: int) -> Rules:
        z = np.zeros((n_outcomes, n_agencies))
        rules = cls(
            *(z.copy(), z.copy(), z.copy(), z.astype(bool), z.copy(), z.copy()),
            funded=z.astype(bool),
            practice=z.copy(),
            succession=z.copy(),
            alignment=np.zeros(n_agencies),
            reorganisation=np.zeros(n_agencies),
            extra_churn=np.zeros(n_agencies),
        )
        rules.admin_demand = np.zeros(n_agencies)
        rules.leak = np.zeros(n_agencies)
        rules.narrow_lift = np.zeros(n_agencies)
        rules.capacity_boost = np.zeros(n_agencies)
        rules.report_factor = np.ones(n_agencies)
        rules.budget_charge = np.zeros(n_agencies)
        rules.learning_boost = z.copy()
        rules.dispensation = z.copy()
        rules.detection = np.full(n_outcomes, np.inf)
        return rules

    def copy(self) -> Rules:
        """An independent copy: every array copied, so later changes to either leave the other."""
        new = object.__new__(Rules)
        for name in self._columns:
            value = getattr(self, name)
            setattr(new, name, value.copy() if isinstance(value, np.ndarray) else value)
        return new


class RunView(Protocol):
    """What an intervention's ``setup`` and ``apply`` see of a run (``State`` is one)."""

    scenario: Scenario
    seed: Any
    params: Parameters
    world: World
    streams: dict[str, np.random.Generator]
    roster: StaffRoster
    partnerships: Partnerships
    rules: Rules
    month: int
    budget: np.ndarray
    need: np.ndarray


class Recording(Protocol):
    """Where the record phase writes each month (``jusim.metrics.Recorder``)."""

    def record(self, model: Any, **values: Any) -> None: ...


@dataclass(eq=False)
class State(_Record):
    """Everything one run carries from month to month (shapes: A agencies, O outcomes, G client
    groups, S types of provision, N staff). Built by ``initial.initial_state``; changed only by the phases."""

    scenario: Scenario
    seed: Any
    streams: dict[str, np.random.Generator]
    world: World
    roster: StaffRoster
    params: Parameters
    rules: Rules
    month: int
    budget: np.ndarray  # (A,) £k/month after this month's changes, charges and platforms
    trust: np.ndarray  # (A, A)
    understanding: np.ndarray  # (A, A)
    experience: np.ndarray  # (O, A)
    need: np.ndarray  # (O,) cases
    client_need: np.ndarray  # (O, G) need by client group
    awareness: np.ndarray  # (O, G)
    client_resolved: np.ndarray  # (O, G) resolved last month
    operating_cost: np.ndarray  # (A,) £k/month on platforms
    platform_params: platforms.PlatformParams  # this run's realised platform parameters
    pipeline: np.ndarray  # (S, 2) lagged capacity per type of provision
    own_att: np.ndarray  # (A,) own-target attainment last month
    own_z: np.ndarray  # (A,) log productivity of own business (own_targets.py)
    defence: np.ndarray  # (A,) defensiveness after leaks (defensive.py)
    spill_cases: np.ndarray  # spillover channels (spillover.py)
    spill_cost: np.ndarray
    shifting: np.ndarray  # (A,) share of hard cases pushed out (spillover.py)
    shifted_cost: np.ndarray  # (A,) £k charged to each payer by others' shifting
    participation: np.ndarray  # (A,) share of partnership demand met (capacity.py)
    shares: np.ndarray | None  # (A, O+2) split of free resources (None before month 0)
    inputs: np.ndarray  # (O, A) work in each outcome role last month, £k
    mainstreamed: np.ndarray  # (O, A) adopted share of a unit's ways of working
    practised_gain: np.ndarray  # (O,) integration gain when a unit last practised there
    division: np.ndarray  # (N,) division of each member of staff
    division_agency: np.ndarray  # agency of each division
    division_base: np.ndarray  # base openness of each division
    contact: np.ndarray  # (A, A) contact intensity this month
    relationship: np.ndarray  # (A, A) staff relationship strength
    partnerships: Partnerships
    credit: np.ndarray  # (O, A) last month's credit for each outcome (partnering)
    scrutiny: scrutiny.Record  # own partnerships judged, failed, money spent
    hazard: np.ndarray  # (A,) monthly leaving hazard
    interventions: list = field(default_factory=list)
    intervention_state: list[dict[str, Any]] = field(default_factory=list)
    recorder: Recording | None = None  # a jusim.metrics.Recorder, set by the model


@dataclass
class Flows(_Record):
    """Money and work of the month being stepped; each phase fills the fields it owns."""

    # budget
    extra_inflow: np.ndarray | None = None  # (O,) cases pushed onto outcomes by shifting
    # rules / resources
    demand: np.ndarray | None = None  # (P, A) admin-months each partnership asks of each agency
    formal: np.ndarray | None = None  # (A, A) pairs bound by a written agreement (None: none)
    disc: np.ndarray | None = None  # (A,) discretionary budget, £k
    seat_cost: np.ndarray | None = None  # (P, A) £k of senior time on partnership seats
    lost_by: np.ndarray | None = None  # (P, A) £k of core service drawn into partnership work
    overhead: np.ndarray | None = None  # (O, A) £k of partnership overhead by outcome
    overhead_paid: np.ndarray | None = None  # (A,) £k of overhead actually paid
    pooled: np.ndarray | None = None  # (O, A) £k pooled, after the fit to what is left
    focused: np.ndarray | None = None  # (O, A) £k of seconded salaries, after the fit
    focused_input: np.ndarray | None = None  # (O, A) their worth as input, after the fit
    free: np.ndarray | None = None  # (A,) £k of discretionary money left to decide on
    core: np.ndarray | None = None  # (A,) £k of core business
    # churn
    leavers: int = 0
    # decision
    openness: np.ndarray | None = None  # (A,) openness after defensiveness
    own_in: np.ndarray | None = None  # (A,) £k on own targets
    joint: np.ndarray | None = None  # (O, A) £k of free money on each outcome
    rel: np.ndarray | None = None  # (A,) £k on relationship work
    # production
    kappa: np.ndarray | None = None  # (O,) coordination efficiency
    need_before: np.ndarray | None = None  # (O,) need at the start of the month
    resolved: np.ndarray | None = None  # (O,) cases resolved this month
    # relationships
    effort: np.ndarray | None = None  # (O, A) share of discretionary budget on joint work


_columns(Rules)
_columns(State)
_columns(Flows, every_field=True)  # (all the month's own: a new month starts them afresh)
