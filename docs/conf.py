"""Sphinx configuration of the sklearn-gd documentation.

Build from the repository root with ``.ci/build_docs``, which runs the example
gallery and treats warnings as errors.
"""

import sklearn_gd

project = "sklearn-gd"
author = "the sklearn-gd developers"
copyright = "the sklearn-gd developers"
version = release = sklearn_gd.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = ["_build", "auto_examples/*.ipynb", "auto_examples/*.py"]
default_role = "literal"

# API reference: one generated page per documented object.
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": False}
# Members are listed by autodoc on each page, so numpydoc must not add its own
# tables, which would point at pages that do not exist.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# Example gallery: every examples/plot_*.py runs during the build and its figures
# and printed output go into the page.
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "FileNameSortKey",
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "remove_config_comments": True,
    "show_memory": False,
}

# The Markdown pages (benchmarks, scaling) are read by myst-parser. scaling.md
# starts at a "##" heading, and Sphinx takes the first heading of a page as its
# title whatever its level, so myst's heading-level checks are off.
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]

html_theme = "pydata_sphinx_theme"
html_title = f"sklearn-gd {release}"
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False
