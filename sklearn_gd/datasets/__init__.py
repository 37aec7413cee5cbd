"""Datasets bundled with sklearn-gd."""

from ._galton import load_galton

__all__ = ["load_galton"]
