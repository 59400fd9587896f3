"""nbgrader settings of a LEARNER's server on the cohort hub (installed by `make hub-env` into
the learner environment's etc/jupyter/, where every learner server reads it).

Learners reach the instructor only through nbgrader's exchange: fetch an assignment, submit it,
fetch its feedback. The exchange is a shared folder that the hub mounts into every learner
server at this path (deploy/hub/jupyterhub_config.py); the student id is the hub user name
(JUPYTERHUB_USER: every learner server runs as the OS user "jovyan", as on Zero to JupyterHub).
"""

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "high-stakes-ml"
c.Exchange.root = "/srv/nbgrader/exchange"
# Fetched assignments land in the learner's home (the server's root folder).
c.Exchange.assignment_dir = "."
