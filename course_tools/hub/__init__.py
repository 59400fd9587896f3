"""A cohort on JupyterHub: the learner environment, the sandboxed learner servers, the learner ids.

- :mod:`course_tools.hub.learner_env` builds the learner environment (``build/hub/learner-env``):
  a virtual environment holding the ``course`` package installed from a wheel (not editable),
  JupyterLab, nbgrader's learner extensions and ``jupyterhub-singleuser``; no instructor material.
- :mod:`course_tools.hub.sandbox` builds the bubblewrap command line of one learner server.
- :mod:`course_tools.hub.learners` gives each learner a stable unprivileged uid.
- :mod:`course_tools.hub.spawner` is the JupyterHub spawner that puts them together.

The hub's configuration is ``deploy/hub/jupyterhub_config.py``; the guide is ``docs/COHORTS.md``.
"""
