"""Full-batch gradient descent, plain or with Nesterov momentum.

The solver is a pure function of an objective (see ``_objective``), a starting
point and numbers. It returns the final iterate and its history, which the
estimator turns into fitted attributes.
"""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class DescentResult:
    """The outcome of :func:`gradient_descent`."""

    Z: np.ndarray
    n_iter: int
    converged: bool
    loss_curve: list
    gradient_norm: float
    path: list = field(default_factory=list)
    path_epochs: list = field(default_factory=list)


class DivergenceError(ValueError):
    """Raised when an iterate or its SSR is no longer finite."""


def gradient_descent(
    objective,
    Z0,
    *,
    learning_rate,
    lipschitz,
    accelerated,
    max_iter,
    tol,
    gradient_scale,
    gradient_weights=None,
    eps=np.finfo(np.float64).eps,
    verbose=0,
    record_every=None,
):
    """Minimize the SSR by full-batch gradient descent from ``Z0``.

    Each epoch takes one step ``Z <- Y - learning_rate * dSSR/dZ(Y)``. Plain
    descent uses ``Y = Z``. Accelerated descent uses Nesterov's extrapolation
    ``Y = Z + beta_k (Z - Z_prev)`` with the momentum schedule of FISTA (Beck and
    Teboulle, 2009) and the gradient restart of O'Donoghue and Candes (2015). The
    restart drops the momentum to zero whenever the last step went uphill along the
    gradient, which gives a linear rate without knowing the smallest eigenvalue.

    The loop stops after the first epoch whose step was taken from a point where
    ``||m * dSSR/dZ|| <= tol * gradient_scale``, with ``m`` the
    ``gradient_weights``. Since ``learning_rate <= 2 / L``, the gradient at the
    returned iterate is no larger than that. The threshold never goes below the
    rounding error of the gradient itself, about
    ``eps * (L_m * ||Z / m|| + gradient_scale)``, where ``L_m`` is the Lipschitz
    constant in the weighted norm.

    Parameters
    ----------
    objective : GramObjective or StreamingObjective
        Provides ``start(Z)`` and ``step(Z, beta)``.
    Z0 : ndarray of shape (n_params, n_targets)
        Starting point in the solver's coordinates.
    learning_rate : float
        Step size, at most ``2 / lipschitz``.
    lipschitz : float
        Lipschitz constant L of the gradient.
    accelerated : bool
        Whether to use Nesterov momentum.
    max_iter : int
        Maximum number of epochs.
    tol : float
        Relative tolerance on the gradient norm.
    gradient_scale : float
        The norm that ``tol`` is relative to: the weighted gradient norm at
        ``Z = 0``.
    gradient_weights : ndarray of shape (n_params,) or None, default=None
        Weight ``m_j`` of each parameter's gradient in the stopping test, chosen
        so that the Hessian ``M H M`` has a unit diagonal (parameters on very
        different scales then count alike). None means all ones, for variables
        that are already standardized.
    eps : float, default=float64 eps
        Machine epsilon of the arithmetic that forms the gradient.
    verbose : int, default=0
        Print one line per epoch when positive.
    record_every : int or None, default=None
        Keep the iterate of epoch 0, of every ``record_every``-th epoch and of the
        last epoch.

    Returns
    -------
    result : DescentResult
    """
    Z = np.array(Z0, dtype=np.float64)
    if gradient_weights is None:
        weights = np.ones((Z.shape[0], 1))
        weighted_lipschitz = lipschitz
    else:
        weights = np.asarray(gradient_weights, dtype=np.float64)[:, None]
        # With a unit diagonal, the largest eigenvalue of M H M is at most n_params.
        weighted_lipschitz = 2.0 * Z.shape[0]

    loss, gradient = objective.start(Z)
    _check_finite(loss, Z, 0, learning_rate, lipschitz)

    result = DescentResult(Z, 0, False, [], _norm(weights * gradient))
    if record_every is not None:
        result.path.append(Z.copy())
        result.path_epochs.append(0)

    Y = Z
    t = 1.0
    for epoch in range(1, max_iter + 1):
        gradient_norm = _norm(weights * gradient)
        floor = 10 * eps * (weighted_lipschitz * _norm(Y / weights) + gradient_scale)
        # A non-finite norm never counts as converged.
        converged = bool(gradient_norm <= max(tol * gradient_scale, floor))

        Z_new = Y - learning_rate * gradient

        beta = 0.0
        if accelerated and not converged:
            if np.vdot(gradient, Z_new - Z) > 0:
                t = 1.0
            else:
                t_next = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
                beta = (t - 1.0) / t_next
                t = t_next

        loss, gradient = objective.step(Z_new, beta)
        _check_finite(loss, Z_new, epoch, learning_rate, lipschitz)

        Y = Z_new + beta * (Z_new - Z) if beta else Z_new
        Z = Z_new
        result.loss_curve.append(loss)
        result.n_iter = epoch
        result.gradient_norm = gradient_norm
        if verbose > 0:
            print(
                f"Epoch {epoch}, SSR = {loss:.8g}, gradient norm = {gradient_norm:.3g}"
            )
        if record_every is not None and (
            epoch % record_every == 0 or converged or epoch == max_iter
        ):
            result.path.append(Z.copy())
            result.path_epochs.append(epoch)
        if converged:
            result.converged = True
            break

    result.Z = Z
    return result


def _divergence_message(epoch, loss, learning_rate, lipschitz):
    return (
        f"Gradient descent diverged at epoch {epoch} (SSR = {loss:.3g}) with "
        f"learning_rate={learning_rate:.6g}. The largest stable learning rate for "
        f"this data is 2/L = {2.0 / lipschitz:.6g}. Use learning_rate='auto'."
    )


def _check_finite(loss, Z, epoch, learning_rate, lipschitz):
    if np.isfinite(loss) and np.all(np.isfinite(Z)):
        return
    if epoch == 0:
        raise DivergenceError(
            f"The SSR at the starting point is {loss:.3g}: the data or the initial "
            "coefficients are too large for float64 arithmetic. Rescale X and y, or "
            "pass smaller coef_init and intercept_init."
        )
    raise DivergenceError(_divergence_message(epoch, loss, learning_rate, lipschitz))


def _norm(array):
    """Return the Euclidean norm of ``array``, without overflow in the squares."""
    squares = float(np.vdot(array, array))
    # The plain sum of squares is exact enough unless it overflows or underflows.
    if 1e-290 < squares < 1e290:
        return float(np.sqrt(squares))
    largest = float(np.max(np.abs(array))) if array.size else 0.0
    if largest == 0.0 or not np.isfinite(largest):
        return largest
    return largest * float(np.linalg.norm(array / largest))
