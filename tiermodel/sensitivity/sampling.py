"""The inputs of the global analysis: seven independent multipliers of the 第10条 values, and
settings built from them (drawn at random for the membership odds, from a Sobol' design for
the Sobol indices) — one Monte Carlo setup for both."""
from __future__ import annotations

import numpy as np

from ..errors import ParameterError
from ..policy import Policy
from .engine import SOURCE, Settings, make_settings, policy_setting

#: Inputs of the global analysis, each an independent multiplier of the policy value. The
#: profit weight and K2 enter the value index only as their product (profit coefficient ×
#: 40 % × K2, 第10条; the lists depend only on the ranking, which a common scale of the
#: weights leaves alone), so they are not separately identifiable: one input multiplies both.
SOBOL_INPUTS = ("weight premium", "weight loyalty", "weight profit × K2",
                "K1 year 1", "K1 year 2", "K1 year 3", "K1 year 4+")


def settings_from_multipliers(policy: Policy, u: np.ndarray) -> Settings:
    """Settings from the 7 independent inputs of the global analysis, ``u`` of shape (S, 7)
    (or (S, 8) with K2 as its own eighth multiplier).

    Construction (weights live on the simplex, so they cannot be independent inputs):
    ``u[:, 0:3]`` multiply the policy weights to give *unnormalised* weights
    ``a_j = w_j × u_j``, and the weights are ``a_j / (a_1 + a_2 + a_3)`` — each input is
    "how much more or less weight coefficient j gets", and every draw lands on the simplex.
    ``u[:, 3:7]`` multiply K1 of years 1, 2, 3, 4+. ``u[:, 2]`` stands for the product of the
    profit weight and K2 (K2 is blank in 第10条; one factor for all years): only that product
    moves the ranking, so K2 stays at its policy value. An eighth column, where given,
    multiplies K2 of every year on its own (its effect is then the same as ``u[:, 2]``'s).

    Parameters
    ----------
    policy : Policy
        Gives the values the multipliers apply to (30/30/40, K1 3.5/2/1.5/1, K2 1).
    u : ndarray (S, 8)
        Multipliers [× policy value], all > 0.
    """
    u = np.asarray(u, dtype=float)
    base = policy_setting(policy)
    a = base.weights * u[:, 0:3]
    total = a.sum(axis=1, keepdims=True)
    k2 = base.k2 * u[:, 7:8] if u.shape[1] > 7 else np.repeat(base.k2, len(u), axis=0)
    return make_settings(a / total, base.k1 * u[:, 3:7], k2)


def draw_settings(policy: Policy, n: int, weight_spread: float = 0.5, k_spread: float = 0.5,
                  seed: int = 2003) -> Settings:
    """``n`` settings of the 第10条 values drawn at random: each of the 7 inputs of
    :func:`settings_from_multipliers` uniform on ``[1 − spread, 1 + spread]``, independently.

    Parameters
    ----------
    policy : Policy
    n : int
        Settings to draw (≥ 1).
    weight_spread, k_spread : float [share of the policy value, 0–1)
        ±50 % by default.
    seed : int
        Seed of the draw: the same seed gives the same settings.
    """
    check_spreads(weight_spread, k_spread)
    if n < 1:
        raise ParameterError(SOURCE, "n", f"n = {n}; at least one setting is needed")
    lo, hi = multiplier_bounds(weight_spread, k_spread)
    u = np.random.default_rng(seed).uniform(lo, hi, size=(n, len(lo)))
    return settings_from_multipliers(policy, u)


def check_spreads(weight_spread: float, k_spread: float) -> None:
    """Refuse a spread outside (0, 1): every multiplier of a 第10条 value must stay positive and
    its range not be empty.

    Parameters
    ----------
    weight_spread, k_spread : float [share of the policy value]

    Raises
    ------
    ParameterError
    """
    for name, s in (("weight_spread", weight_spread), ("k_spread", k_spread)):
        if not (np.isfinite(s) and 0 < s < 1):
            raise ParameterError(SOURCE, name, f"{name} = {s}; it must lie in (0, 1) so every "
                                 "multiplier stays positive and the range is not empty")


def multiplier_bounds(weight_spread: float, k_spread: float) -> tuple[np.ndarray, np.ndarray]:
    """Low and high bounds of the 7 multipliers of the 第10条 values [× policy value]:
    ``1 ∓ spread``.

    Parameters
    ----------
    weight_spread, k_spread : float [share of the policy value, 0–1)
    """
    spread = np.array([weight_spread] * 3 + [k_spread] * 4)
    return 1 - spread, 1 + spread
