"""The (draw, seed) samples of an analysis over parameter uncertainty, as ``jusim.compare`` runs
them: ``draws`` parameter draws, each on ``seeds`` seeds; sample ``k = d * seeds + s`` uses draw
``d`` and child ``k`` of ``numpy.random.SeedSequence(seed).spawn(draws * seeds)``, the same in every
arm, so differences are paired by (draw, seed). Without draws this is one draw and the seeds are
those of a seed-only analysis.

The draws come from a parameter ensemble (``jusim.ensemble``: ``"default"``, ``"none"``, a file
or an :class:`~jusim.ensemble.Ensemble`; a draw is applied with ``Ensemble.apply``, skipping paths
into parts the scenario does not have) or, as before ensembles existed, from a list of override
dicts (``jusim.evaluation.scenario_with``). ``jusim explain`` and ``jusim search`` use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from jusim.ensemble import Ensemble, design
from jusim.scenario import Scenario, ScenarioError


@dataclass(frozen=True, eq=False)
class Samples:
    """Draws x seeds; see the module docstring."""

    seed: int
    seeds_per_draw: int
    ensemble: Ensemble | None = None
    overrides: tuple[dict[str, Any], ...] = ()  # explicit draws (no ensemble)
    note: str = ""  # e.g. no shipped ensemble

    @property
    def draws(self) -> int:
        """Parameter draws (0: none, one parameter set)."""
        return len(self.ensemble) if self.ensemble is not None else len(self.overrides)

    @property
    def size(self) -> int:
        return max(self.draws, 1) * self.seeds_per_draw

    def arms(self, scenario: Scenario) -> list[Scenario]:
        """``scenario`` under each draw (one entry, itself, without draws)."""
        if self.ensemble is not None:
            return [self.ensemble.apply(scenario, d) for d in range(len(self.ensemble))]
        if self.overrides:
            from jusim.evaluation import scenario_with

            return [scenario_with(scenario, d) for d in self.overrides]
        return [scenario]

    def seeds(self) -> list[list[np.random.SeedSequence]]:
        """The seeds of each draw (child ``d * seeds + s`` of the master seed)."""
        from jusim.analysis.compare import replication_seeds

        every = replication_seeds(self.seed, self.size)
        n = self.seeds_per_draw
        return [list(every[d * n : (d + 1) * n]) for d in range(max(self.draws, 1))]

    def label(self) -> str:
        """In words, for a table's title or note."""
        if self.ensemble is not None:
            return f"{self.draws} draws of {self.ensemble.source} x {self.seeds_per_draw} seeds"
        if self.overrides:
            return f"{self.draws} parameter draws x {self.seeds_per_draw} seeds"
        return f"{self.seeds_per_draw} seeds"

    def digest(self) -> str:
        """What a checkpoint must match: the draws' values and the seeds."""
        import json

        if self.ensemble is not None:
            draws = [
                dict(zip(self.ensemble.paths, map(repr, row), strict=True))
                for row in self.ensemble.values
            ]
        else:
            draws = list(self.overrides)
        return json.dumps(
            {"seed": self.seed, "seeds": self.seeds_per_draw, "draws": draws},
            sort_keys=True,
            default=str,
        )


def samples(
    seed: int,
    replications: int | None,
    ensemble: str | Path | Ensemble | None = None,
    draws: int | list[dict[str, Any]] | None = None,
    default_seeds: int = 10,
    source: str = "jusim",
) -> Samples:
    """The samples for ``ensemble`` (``draws`` of it, ``replications`` seeds each: by default
    those of ``jusim.compare``, 10 draws x 3 seeds) or for a list of override dicts in ``draws``
    (``replications`` seeds each, default ``default_seeds``), or seeds only (``default_seeds``).
    Errors name ``source``, the field, the value and what is allowed."""
    if isinstance(draws, list | tuple):
        if ensemble is not None and not (isinstance(ensemble, str) and ensemble == "none"):
            raise ScenarioError(
                [(source, "draws", "a list", "a number of draws when an ensemble is given")]
            )
        n = default_seeds if replications is None else int(replications)
        return Samples(int(seed), n, overrides=tuple(dict(d) for d in draws))
    if ensemble is None or (isinstance(ensemble, str) and ensemble.strip().lower() == "none"):
        if draws not in (None, 1):
            raise ScenarioError(
                [(source, "draws", draws, "draws only with an ensemble (--ensemble default|PATH)")]
            )
        n = default_seeds if replications is None else int(replications)
        return Samples(int(seed), n)
    ens, n, note = design(ensemble, draws, replications)
    if ens is None:  # "default" and this version ships none: seeds only, with the note
        n = default_seeds if replications is None else int(replications)
    return Samples(int(seed), n, ensemble=ens, note=note)
