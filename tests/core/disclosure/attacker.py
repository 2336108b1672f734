"""An attacker written for the tests, apart from the product's audit: unknown whole counts,
equations and rounded shares read off published tables, and one solver call per bound."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp


@dataclass
class Attack:
    """Unknowns by name; each relation is {name or number: coefficient} = 0, where a number
    key stands for a published constant."""

    unknowns: list[str] = field(default_factory=list)
    equations: list[tuple[dict[str, float], float]] = field(default_factory=list)
    inequalities: list[tuple[dict[str, float], float]] = field(default_factory=list)
    upper: dict[str, float] = field(default_factory=dict)

    def unknown(self, name: str, upper: float = np.inf) -> str:
        if name not in self.unknowns:
            self.unknowns.append(name)
        if np.isfinite(upper):
            self.upper[name] = upper
        return name

    def total(self, parts: list[str | float], total: str | float) -> None:
        """total = sum of parts; each a name (unknown) or a published number."""
        coef: dict[str, float] = {}
        constant = 0.0
        for sign, items in ((1.0, parts), (-1.0, [total])):
            for item in items:
                if isinstance(item, str):
                    coef[item] = coef.get(item, 0.0) + sign
                else:
                    constant += sign * float(item)
        self.equations.append((coef, -constant))  # sum(coef x) = -constant

    def share(self, part: str | float, total: str | float, percent: float) -> None:
        """A share printed to one decimal: percent - 0.05 <= 100 part / total <= percent + 0.05."""
        for bound, sign in ((percent + 0.05 + 1e-9, 1.0), (percent - 0.05 - 1e-9, -1.0)):
            coef: dict[str, float] = {}
            constant = 0.0
            for item, c in ((part, 100.0 * sign), (total, -bound * sign)):
                if isinstance(item, str):
                    coef[item] = coef.get(item, 0.0) + c
                else:
                    constant += c * float(item)
            self.inequalities.append((coef, -constant))  # sum(coef x) <= -constant

    def ranges(self) -> dict[str, tuple[float, float]]:
        """The smallest and largest whole value of every unknown (inf: no limit)."""
        names = self.unknowns
        index = {n: i for i, n in enumerate(names)}
        big = 10.0 ** 7
        constraints = []
        for rows, equal in ((self.equations, True), (self.inequalities, False)):
            if rows:
                matrix = np.zeros((len(rows), len(names)))
                rhs = np.array([r for _, r in rows])
                for k, (coef, _) in enumerate(rows):
                    for name, c in coef.items():
                        matrix[k, index[name]] += c
                constraints.append(LinearConstraint(matrix, rhs if equal else -np.inf, rhs))
        upper = np.array([self.upper.get(n, big) for n in names])
        out = {}
        for i, name in enumerate(names):
            bounds = []
            for sense in (1.0, -1.0):
                c = np.zeros(len(names))
                c[i] = sense
                result = milp(c, integrality=np.ones(len(names)), bounds=Bounds(0, upper),
                              constraints=constraints, options={"mip_rel_gap": 0})
                assert result.status == 0, (name, result.message)
                bounds.append(result.x[i])
            high = np.inf if bounds[1] >= big - 0.5 else round(bounds[1])
            out[name] = (float(round(bounds[0])), float(high))
        return out
