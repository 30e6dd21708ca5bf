"""Power and sample-size statistics for experiment planning, computed from their formulas (no lookup tables).

- RNA-seq per-gene power under a negative binomial model: Hart et al. 2013, J Comput Biol 20:970,
  n per group = 2 (z_{1-a/2} + z_power)^2 (1/mu + cv^2) / ln(fold_change)^2, with its inverses.
- Two-sample t-test power from the noncentral t distribution.
- Multiple-testing hints: Bonferroni per-test alpha, and the per-test alpha that gives a target Benjamini-Hochberg
  FDR when m1 of m genes are truly changed (Jung 2005, Bioinformatics 21:3097).
"""

from __future__ import annotations

import math

from scipy import stats


def _check_probability(name: str, value: float) -> None:
    if not 0.0 < value < 1.0:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive), got {value}")


def _log_fold_change(fold_change: float) -> float:
    """|ln FC|: a 0.5-fold decrease is as detectable as a 2-fold increase."""
    if fold_change <= 0:
        raise ValueError(f"fold change must be positive, got {fold_change}")
    log_fc = abs(math.log(fold_change))
    if log_fc == 0:
        raise ValueError("a fold change of 1 means no effect; there is nothing to detect")
    return log_fc


def _nb_variance_term(mean_count: float, cv: float) -> float:
    """1/mu (Poisson counting noise) + cv^2 (biological noise) of the Hart et al. model."""
    if mean_count <= 0:
        raise ValueError(f"mean count (depth per gene) must be positive, got {mean_count}")
    if cv < 0:
        raise ValueError(f"coefficient of variation must not be negative, got {cv}")
    return 1.0 / mean_count + cv * cv


def z_two_sided(alpha: float) -> float:
    _check_probability("alpha", alpha)
    return float(stats.norm.ppf(1.0 - alpha / 2.0))


def z_power(power: float) -> float:
    _check_probability("power", power)
    return float(stats.norm.ppf(power))


def hart_n_per_group(fold_change: float, mean_count: float, cv: float, alpha: float = 0.05,
                     power: float = 0.8) -> float:
    """Samples per group (not rounded) to detect `fold_change` in a gene with `mean_count` expected reads."""
    z_sum = z_two_sided(alpha) + z_power(power)
    return 2.0 * z_sum**2 * _nb_variance_term(mean_count, cv) / _log_fold_change(fold_change) ** 2


def hart_power(n_per_group: float, fold_change: float, mean_count: float, cv: float, alpha: float = 0.05) -> float:
    """Power of the two-sided test with n samples per group (the Hart formula solved for power)."""
    if n_per_group <= 0:
        raise ValueError(f"samples per group must be positive, got {n_per_group}")
    z_effect = math.sqrt(n_per_group * _log_fold_change(fold_change) ** 2 / (2.0 * _nb_variance_term(mean_count, cv)))
    return float(stats.norm.cdf(z_effect - z_two_sided(alpha)))


def hart_detectable_fold_change(n_per_group: float, mean_count: float, cv: float, alpha: float = 0.05,
                                power: float = 0.8) -> float:
    """The smallest fold change (> 1) detected with the given power and n per group."""
    if n_per_group <= 0:
        raise ValueError(f"samples per group must be positive, got {n_per_group}")
    z_sum = z_two_sided(alpha) + z_power(power)
    return math.exp(z_sum * math.sqrt(2.0 * _nb_variance_term(mean_count, cv) / n_per_group))


def mean_count_for_gene(total_reads: float, cpm: float) -> float:
    """Expected reads of a gene expressed at `cpm` counts per million in a library of `total_reads`."""
    if total_reads <= 0 or cpm <= 0:
        raise ValueError("total reads and CPM must be positive")
    return total_reads * cpm / 1e6


def ttest_power(effect_size: float, n_per_group: int, alpha: float = 0.05) -> float:
    """Exact power of a two-sided, two-sample t-test with equal groups (noncentral t)."""
    if n_per_group < 2:
        raise ValueError("a t-test needs at least 2 samples per group")
    _check_probability("alpha", alpha)
    df = 2 * n_per_group - 2
    noncentrality = abs(effect_size) * math.sqrt(n_per_group / 2.0)
    t_crit = stats.t.ppf(1.0 - alpha / 2.0, df)
    return float(stats.nct.sf(t_crit, df, noncentrality) + stats.nct.cdf(-t_crit, df, noncentrality))


def ttest_n_per_group(effect_size: float, alpha: float = 0.05, power: float = 0.8, max_n: int = 100_000) -> int:
    """Smallest n per group whose exact t-test power reaches `power`."""
    _check_probability("power", power)
    if effect_size == 0:
        raise ValueError("an effect size of 0 cannot be detected")
    # Start just below the normal approximation (which underestimates n), then step up to the exact answer.
    approx = 2.0 * (z_two_sided(alpha) + z_power(power)) ** 2 / effect_size**2
    n = max(2, math.floor(approx) - 1)
    while ttest_power(effect_size, n, alpha) < power:
        n += 1
        if n > max_n:
            raise ValueError(f"more than {max_n} samples per group would be needed")
    return n


def ttest_detectable_effect(n_per_group: int, alpha: float = 0.05, power: float = 0.8) -> float:
    """The smallest standardised effect (Cohen's d) detected with `power`, by root-finding on the exact power."""
    _check_probability("power", power)
    from scipy.optimize import brentq

    def gap(d: float) -> float:
        return ttest_power(d, n_per_group, alpha) - power

    upper = 1.0
    while gap(upper) < 0:  # bracket the root; scipy's nct turns to NaN for absurd noncentralities, so cap it
        upper *= 2.0
        if upper > 64:
            raise ValueError(f"no effect size reaches power {power} with {n_per_group} samples per group")
    return float(brentq(gap, 1e-6, upper))


def bonferroni_alpha(alpha: float, tests: int) -> float:
    _check_probability("alpha", alpha)
    if tests < 1:
        raise ValueError("the number of tests must be at least 1")
    return alpha / tests


def bh_per_test_alpha(fdr: float, tests: int, true_effects: int, power: float) -> float:
    """Per-test alpha at which BH at level `fdr` is expected to hold, given m1 true effects detected with `power`.

    Jung 2005: alpha* = m1 * power * q / ((m - m1) * (1 - q)).
    """
    _check_probability("fdr", fdr)
    _check_probability("power", power)
    if not 0 < true_effects < tests:
        raise ValueError("the number of true effects must be between 0 and the number of tests (exclusive)")
    return true_effects * power * fdr / ((tests - true_effects) * (1.0 - fdr))
