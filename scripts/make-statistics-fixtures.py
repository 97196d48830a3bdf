#!/usr/bin/env python3
"""Writes the reference figures the Swift statistics are tested against.

    python3 scripts/make-statistics-fixtures.py

Deterministic: every random case comes from numpy's PCG64 generator with a fixed seed, so
running it again gives the same files byte for byte (with the same SciPy and NumPy).
Written with SciPy 1.17.1 and NumPy 2.4.

Files (in Tests/InspectorateCoreTests/Fixtures/):

- spearman-scipy.json: cases of x and y with Spearman's rho and its two-sided p-value from
  scipy.stats.spearmanr, and a 95 % confidence interval. SciPy 1.17's spearmanr result has
  no confidence_interval() (only pearsonr's does), so the interval is computed here with
  NumPy by the Fisher z transform, z = atanh(rho), SE = 1/sqrt(n - 3),
  tanh(z -/+ 1.959963984540054 * SE), and checked against
  scipy.stats.pearsonr(rankdata(x), rankdata(y)).confidence_interval(), which applies the
  same method to the ranks. Cases where the Swift code refuses to compute (a constant
  input, where SciPy gives NaN; fewer than 4 pairs, where no interval exists) are marked
  "defined": false with the reason, and SciPy's own answer kept for the record.
- student-t-scipy.json: Student's t cumulative distribution, scipy.special.stdtr(df, t).
- quantiles-numpy.json: minimum, quartiles (numpy.percentile, method "linear", the default)
  and maximum of samples, for the bands of most-similar groups.
"""

import json
import os
import warnings

import numpy as np
import scipy
import scipy.special
import scipy.stats

Z975 = 1.959963984540054
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "InspectorateCoreTests", "Fixtures")


def fisher_interval(rho, n):
    with np.errstate(divide="ignore"):  # rho = +/-1 gives z = +/-inf and the interval [rho, rho]
        z = np.arctanh(rho)
    se = 1.0 / np.sqrt(n - 3)
    return float(np.tanh(z - Z975 * se)), float(np.tanh(z + Z975 * se))


def number(value):
    """A JSON number, or None for NaN."""
    value = float(value)
    return None if np.isnan(value) else value


def spearman_case(name, x, y, note=""):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    n = len(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = scipy.stats.spearmanr(x, y)
    rho, p = float(result.statistic), float(result.pvalue)
    case = {"name": name, "note": note, "n": n, "x": x, "y": y}
    if len(set(x)) == 1 or len(set(y)) == 1:
        assert np.isnan(rho), name
        case.update(defined=False, reason="constant_x" if len(set(x)) == 1 else "constant_y")
        case.update(scipy_rho=number(rho), scipy_p_value=number(p))
        return case
    if n < 4:
        case.update(defined=False, reason="too_few_pairs", scipy_rho=number(rho), scipy_p_value=number(p))
        return case
    low, high = fisher_interval(rho, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check = scipy.stats.pearsonr(scipy.stats.rankdata(x), scipy.stats.rankdata(y)).confidence_interval(0.95)
    assert abs(check.low - low) < 1e-12 and abs(check.high - high) < 1e-12, (name, check, low, high)
    case.update(defined=True, rho=rho, p_value=p, ci_low=low, ci_high=high)
    return case


def correlated(rng, n, target, integer_levels=None):
    x = rng.standard_normal(n)
    y = target * x + np.sqrt(max(0.0, 1 - target * target)) * rng.standard_normal(n)
    if integer_levels:
        # Capability levels 1..k from x's quantiles; the outcome rounded to whole numbers.
        edges = np.quantile(x, np.linspace(0, 1, integer_levels + 1)[1:-1])
        x = 1 + np.searchsorted(edges, x)
        y = np.round(50 + 15 * y)
    return [float(v) for v in x], [float(v) for v in y]


def spearman_cases():
    rng = np.random.default_rng(20090401)
    cases = [
        spearman_case("hand, n=5", [1, 2, 3, 4, 5], [5, 6, 7, 8, 7]),
        spearman_case("smallest computed, n=4", [1, 2, 3, 4], [2, 1, 4, 3]),
        spearman_case("n=4 with ties", [1, 1, 2, 3], [10, 20, 20, 40]),
        spearman_case("perfect positive, monotone not linear", list(range(1, 11)), [v ** 3 for v in range(1, 11)]),
        spearman_case("perfect negative", list(range(12)), [100 - 2 ** (v / 3) for v in range(12)]),
        spearman_case("perfect with matching ties", [1, 2, 2, 3, 4, 4, 5], [10, 20, 20, 30, 40, 40, 50]),
        spearman_case("constant x", [3, 3, 3, 3, 3], [1, 2, 3, 4, 5], "SciPy gives NaN"),
        spearman_case("constant y", [1, 2, 3, 4, 5, 6], [7, 7, 7, 7, 7, 7], "SciPy gives NaN"),
        spearman_case("n=3", [1, 2, 3], [1, 3, 2], "SciPy gives rho and p; no interval exists"),
        spearman_case("n=2", [1, 2], [2, 1]),
        spearman_case("exactly zero", [1, 2, 3, 4, 5], [2, 5, 3, 1, 4]),
        spearman_case("negative decimals", [-1.5, -0.25, 0, 2.75, 3.125, 10], [0.5, 0.4, 0.45, 0.1, -0.2, 0.05]),
    ]
    for n, target in [(5, 0.5), (6, -0.7), (8, 0.3), (9, 0.9), (10, -0.4), (15, 0.6), (20, 0.0), (25, -0.95),
                      (43, 0.45), (50, -0.2), (100, 0.1), (150, 0.8), (200, -0.5)]:
        x, y = correlated(rng, n, target)
        cases.append(spearman_case(f"normal, n={n}, drawn with correlation {target}", x, y))
    for n, target, levels in [(43, 0.5, 5), (43, -0.3, 4), (60, 0.7, 5), (200, 0.35, 4), (12, 0.6, 3)]:
        x, y = correlated(rng, n, target, integer_levels=levels)
        cases.append(spearman_case(f"levels 1..{levels} against whole numbers, n={n}, drawn with correlation {target}", x, y, "many ties"))
    return cases


def student_t_cases():
    cases = []
    for df in [1, 2, 3, 4.5, 5, 10, 30, 41, 100, 198, 1000, 24998]:
        for t in [-50, -8, -5, -2.5, -1, -0.1, 0, 0.1, 0.5, 1, 2, 3, 5, 10, 50]:
            cases.append({"df": float(df), "t": float(t), "cdf": float(scipy.special.stdtr(df, t))})
    return cases


def quantile_cases():
    rng = np.random.default_rng(20100331)
    samples = [[7.0], [1.0, 2.0], [3.0, 1.0, 2.0], [5.0, 1.0, 4.0, 2.0], [10, 20, 30, 40, 50, 60, 70]]
    samples += [list(np.round(rng.uniform(0, 100, n), 2)) for n in [5, 6, 8, 13, 43]]
    cases = []
    for sample in samples:
        values = np.array(sample, dtype=float)
        q = np.percentile(values, [0, 25, 50, 75, 100])
        cases.append({"values": [float(v) for v in values], "min": float(q[0]), "q1": float(q[1]), "median": float(q[2]),
                      "q3": float(q[3]), "max": float(q[4])})
    return cases


def write(name, payload):
    path = os.path.join(FIXTURES, name)
    with open(path, "w") as handle:
        json.dump(payload, handle, indent=1)
        handle.write("\n")
    print("wrote", os.path.normpath(path))


def main():
    versions = {"scipy": scipy.__version__, "numpy": np.__version__}
    write("spearman-scipy.json", {
        "generator": "scripts/make-statistics-fixtures.py", "versions": versions,
        "rho_and_p_value": "scipy.stats.spearmanr(x, y): statistic and pvalue (two-sided)",
        "ci_method": "SciPy's spearmanr has no confidence_interval(); computed with numpy: "
                     "tanh(atanh(rho) -/+ 1.959963984540054 / sqrt(n - 3)), checked equal (1e-12) to "
                     "scipy.stats.pearsonr(rankdata(x), rankdata(y)).confidence_interval(0.95)",
        "cases": spearman_cases(),
    })
    write("student-t-scipy.json", {
        "generator": "scripts/make-statistics-fixtures.py", "versions": versions,
        "method": "scipy.special.stdtr(df, t)", "cases": student_t_cases(),
    })
    write("quantiles-numpy.json", {
        "generator": "scripts/make-statistics-fixtures.py", "versions": versions,
        "method": "numpy.percentile(values, [0, 25, 50, 75, 100]) (method 'linear')", "cases": quantile_cases(),
    })


if __name__ == "__main__":
    main()
