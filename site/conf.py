"""Sphinx configuration of the course's website (built by ``make site``: course_tools/site.py).

The pages are assembled in ``build/site/source/`` from executed notebooks; nothing is
executed here (MyST-NB's execution is off), so the site shows exactly what the notebook
tests ran.
"""

import os

project = "High-Stakes ML"
author = "High-Stakes ML contributors"
copyright = "High-Stakes ML contributors, MIT license"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
nb_execution_mode = "off"
# Explorers carry a static picture and their numbers beside the live widget: the site shows those.
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]

# Where the course lives; Binder builds its environment from environment.yml there.
REPOSITORY = os.environ.get("HSML_REPOSITORY_URL", "https://github.com/high-stakes-ml/high-stakes-ml")

html_theme = "sphinx_book_theme"
html_title = "High-Stakes ML"
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": "main",
    "use_repository_button": True,
    "launch_buttons": {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"},
    "show_toc_level": 2,
}
html_static_path = ["_static"]
html_js_files = ["accessibility.js"]
html_last_updated_fmt = None
