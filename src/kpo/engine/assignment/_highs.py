"""A thin, typed layer over HiGHS (highspy): sparse rows in, a solution vector out.

Every model is built column-wise from numpy arrays (no Python loops over variables) and solved
with fixed options, so the same model gives the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
import scipy.sparse as sp

from kpo.engine.assignment.problem import BoolArray, FloatArray, IntArray

SolveStatus = Literal["optimal", "infeasible", "time_limit", "interrupted", "error"]

INF = float("inf")


class Rows:
    """Sparse constraint rows ``lower <= A x <= upper`` collected block by block."""

    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.n_rows = 0
        self._r: list[IntArray] = []
        self._c: list[IntArray] = []
        self._v: list[FloatArray] = []
        self._lo: list[FloatArray] = []
        self._hi: list[FloatArray] = []

    def add(
        self,
        row: IntArray,
        col: IntArray,
        val: FloatArray,
        lower: FloatArray,
        upper: FloatArray,
    ) -> int:
        """Add ``len(lower)`` rows; ``row`` holds row numbers local to this block. Returns the
        number of the block's first row."""
        first = self.n_rows
        self._r.append(np.asarray(row, dtype=np.int64) + first)
        self._c.append(np.asarray(col, dtype=np.int64))
        self._v.append(np.asarray(val, dtype=np.float64))
        self._lo.append(np.asarray(lower, dtype=np.float64))
        self._hi.append(np.asarray(upper, dtype=np.float64))
        self.n_rows += len(lower)
        return first

    def widen(self, n_cols: int) -> None:
        """Make room for more columns (added after the existing ones)."""
        if n_cols < self.n_cols:
            raise ValueError("n_cols: cannot shrink")
        self.n_cols = n_cols

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        if not self._lo:
            return np.zeros(0), np.zeros(0)
        return np.concatenate(self._lo), np.concatenate(self._hi)

    def csc(self) -> tuple[IntArray, IntArray, FloatArray]:
        if not self._r:
            return np.zeros(self.n_cols + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        r = np.concatenate(self._r)
        c = np.concatenate(self._c)
        v = np.concatenate(self._v)
        m = sp.csc_matrix((v, (r, c)), shape=(self.n_rows, self.n_cols))
        m.sum_duplicates()
        m.sort_indices()
        return (
            np.asarray(m.indptr, dtype=np.int64),
            np.asarray(m.indices, dtype=np.int64),
            np.asarray(m.data, dtype=np.float64),
        )


@dataclass(frozen=True, slots=True)
class Result:
    status: SolveStatus
    x: FloatArray | None
    objective: float
    bound: float
    """Proven upper bound (maximisation): the LP optimum, or the MIP dual bound."""


ImproveCallback = Callable[[float, float], None]


def _status(model_status: highspy.HighsModelStatus) -> SolveStatus:
    if model_status == highspy.HighsModelStatus.kOptimal:
        return "optimal"
    if model_status in (
        highspy.HighsModelStatus.kInfeasible,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return "infeasible"
    if model_status == highspy.HighsModelStatus.kTimeLimit:
        return "time_limit"
    if model_status == highspy.HighsModelStatus.kInterrupt:
        return "interrupted"
    return "error"


class Session:
    """One HiGHS model kept alive, so that rows can be added and the LP re-solved warm."""

    def __init__(
        self,
        cost: FloatArray,
        rows: Rows,
        *,
        col_lower: FloatArray | None = None,
        col_upper: FloatArray | None = None,
        integer: BoolArray | None = None,
        mip_rel_gap: float = 1e-6,
    ) -> None:
        n = int(cost.shape[0])
        self.n = n
        self.integer = integer if integer is not None and bool(np.any(integer)) else None
        a_start, a_index, a_value = rows.csc()
        row_lo, row_hi = rows.bounds()
        self.row_lower = row_lo
        self.row_upper = row_hi
        upper = np.ones(n) if col_upper is None else np.asarray(col_upper, dtype=np.float64)
        lower = np.zeros(n) if col_lower is None else np.asarray(col_lower, dtype=np.float64)
        h = highspy.Highs()  # type: ignore[no-untyped-call]
        h.setOptionValue("output_flag", False)
        h.setOptionValue("random_seed", 0)
        if self.integer is not None:
            h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
            h.setOptionValue("mip_abs_gap", 1e-9)
        else:
            h.setOptionValue("solver", "simplex")
            h.setOptionValue("parallel", "off")
        integrality = (
            np.asarray(self.integer, dtype=np.int32)
            if self.integer is not None
            else np.zeros(n, dtype=np.int32)
        )
        status_pass = h.passModel(
            n,
            rows.n_rows,
            int(a_value.shape[0]),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMaximize),
            0.0,
            np.ascontiguousarray(cost, dtype=np.float64),
            lower,
            upper,
            row_lo,
            row_hi,
            a_start.astype(np.int32),
            a_index.astype(np.int32),
            a_value,
            integrality,
        )
        if status_pass == highspy.HighsStatus.kError:  # pragma: no cover - a bug in the model builder
            raise RuntimeError("HiGHS rejected the model")
        self.h = h

    def add_rows(
        self, row: IntArray, col: IntArray, val: FloatArray, lower: FloatArray, upper: FloatArray
    ) -> None:
        """Add rows (``row`` numbered from 0 within the new block)."""
        m = sp.csr_matrix((val, (row, col)), shape=(len(lower), self.n))
        m.sort_indices()
        self.h.addRows(
            len(lower),
            np.asarray(lower, dtype=np.float64),
            np.asarray(upper, dtype=np.float64),
            int(m.nnz),
            np.asarray(m.indptr[:-1], dtype=np.int32),
            np.asarray(m.indices, dtype=np.int32),
            np.asarray(m.data, dtype=np.float64),
        )

    def solve(
        self,
        *,
        time_limit: float,
        start: FloatArray | None = None,
        on_improve: ImproveCallback | None = None,
    ) -> Result:
        h = self.h
        n = self.n
        if n == 0:  # HiGHS calls an empty model an error; it is feasible iff no row needs more than 0
            ok = bool(np.all(self.row_lower <= 1e-9) and np.all(self.row_upper >= -1e-9))
            return Result(
                status="optimal" if ok else "infeasible",
                x=np.zeros(0) if ok else None,
                objective=0.0 if ok else -INF,
                bound=0.0 if ok else INF,
            )
        h.setOptionValue("time_limit", max(float(time_limit), 0.05))
        if start is not None and self.integer is not None:
            h.setSolution(n, np.arange(n, dtype=np.int32), np.asarray(start, dtype=np.float64))
        if on_improve is not None and self.integer is not None:
            callback = on_improve

            def _improving(event: highspy.highs.HighsCallbackEvent) -> None:
                out = event.data_out
                callback(float(out.objective_function_value), float(out.mip_dual_bound))

            h.cbMipImprovingSolution.subscribe(_improving)
        h.run()
        status = _status(h.getModelStatus())
        solution = h.getSolution()
        info = h.getInfo()
        x = np.asarray(solution.col_value, dtype=np.float64) if solution.value_valid else None
        if x is not None and (x.shape[0] != n or status == "infeasible"):
            x = None
        objective = float(info.objective_function_value) if x is not None else -INF
        if self.integer is not None:
            bound = float(info.mip_dual_bound)
            if not np.isfinite(bound):
                bound = INF
            if x is not None:
                x = np.where(self.integer, np.round(x), x)
        else:
            bound = objective if status == "optimal" else INF
        return Result(status=status, x=x, objective=objective, bound=bound)


def maximise(
    cost: FloatArray,
    rows: Rows,
    *,
    col_upper: FloatArray | None = None,
    col_lower: FloatArray | None = None,
    integer: BoolArray | None = None,
    time_limit: float,
    start: FloatArray | None = None,
    mip_rel_gap: float = 1e-6,
    on_improve: ImproveCallback | None = None,
) -> Result:
    """Maximise ``cost @ x`` subject to ``rows`` and ``col_lower <= x <= col_upper`` (default 0, 1)."""
    session = Session(
        cost, rows, col_lower=col_lower, col_upper=col_upper, integer=integer, mip_rel_gap=mip_rel_gap
    )
    return session.solve(time_limit=time_limit, start=start, on_improve=on_improve)
