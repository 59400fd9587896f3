"""JupyterHub configuration of a High-Stakes ML cohort (docs/COHORTS.md).

Run as root from the course's virtual environment (it imports course_tools.hub):

    HSML_HUB_INSTRUCTORS=ada HSML_COURSE_DIR=/srv/hsml/course \\
    HSML_GRADEBOOK_URL='postgresql+psycopg://grader@/gradebook?host=/run/postgresql' \\
    .venv/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

Every setting comes from the environment (defaults in brackets); no secret is written here.

- HSML_HUB_ROOT [/srv/hsml]: the hub's state (its database, cookie secret, learner uids, homes).
- HSML_HUB_HOMES [$HSML_HUB_ROOT/homes]: one home per learner, mounted at /home/jovyan.
- HSML_EXCHANGE_ROOT [/srv/nbgrader/exchange]: nbgrader's exchange, shared by learners and instructor.
- HSML_LEARNER_ENV [build/hub/learner-env of this checkout]: `make hub-env` builds it.
- HSML_HUB_BIND_URL [http://127.0.0.1:8000]: where the proxy listens (put TLS in front of it).
- HSML_HUB_API_URL [http://127.0.0.1:8081]: the hub's own API.  HSML_HUB_PROXY_API [http://127.0.0.1:8001].
- HSML_HUB_PROXY [build/hub/proxy/node_modules/.bin/configurable-http-proxy]: `make hub-env` installs it.
- HSML_HUB_DB_URL [sqlite in $HSML_HUB_ROOT]: the hub's own database (users, tokens), not the gradebook.
- HSML_HUB_MEM_LIMIT [2G], HSML_HUB_CPU_LIMIT [1]: per learner server (see docs/COHORTS.md for
  what this sandbox enforces and what systemd or Kubernetes enforce).
- HSML_HUB_INSTRUCTORS: comma-separated hub user names: admins, and the only users who reach the formgrader.
- HSML_COURSE_DIR: the instructor's course folder (a copy of autograded/ with its nbgrader_config.py);
  when set, the formgrader runs as the hub service /services/formgrader/ in that folder, with
  HSML_GRADEBOOK_URL (the gradebook; PostgreSQL on a hub) passed on, as the unix account
  HSML_FORMGRADER_USER (unset: as the hub's own user, root; for a trial or the test only).
- Login: HSML_HUB_SHARED_PASSWORD (and HSML_HUB_INSTRUCTOR_PASSWORD, 32+ characters) switch on
  JupyterHub's SharedPasswordAuthenticator (for a trial or the end-to-end test only). Otherwise
  set your institution's authenticator (OAuthenticator, LTI) in a file named by HSML_HUB_EXTRA_CONFIG.
- HSML_HUB_ADMIN_TOKEN: an API token for a "cohort-admin" service (roster scripts, the test).
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
env = os.environ.get
c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

root = Path(env("HSML_HUB_ROOT", "/srv/hsml"))
root.mkdir(parents=True, exist_ok=True, mode=0o700)
exchange = env("HSML_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
learner_env = env("HSML_LEARNER_ENV", str(REPO / "build" / "hub" / "learner-env"))
instructors = {name.strip() for name in env("HSML_HUB_INSTRUCTORS", "").split(",") if name.strip()}

# --- the hub and its proxy, on the loopback interface only ----------------------------------
c.JupyterHub.bind_url = env("HSML_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = env("HSML_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = env("HSML_HUB_PROXY_API", "http://127.0.0.1:8001")
c.ConfigurableHTTPProxy.command = [
    env("HSML_HUB_PROXY", str(REPO / "build" / "hub" / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"))
]
c.ConfigurableHTTPProxy.pid_file = str(root / "jupyterhub-proxy.pid")
c.JupyterHub.db_url = env("HSML_HUB_DB_URL", f"sqlite:///{root / 'jupyterhub.sqlite'}")
c.JupyterHub.cookie_secret_file = str(root / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # learner servers stop with the hub (the sandbox dies with it)

# --- learner servers: one sandbox each (course_tools/hub/sandbox.py) ------------------------
c.JupyterHub.spawner_class = "course_tools.hub.spawner.BubblewrapSpawner"
c.BubblewrapSpawner.learner_env = learner_env
c.BubblewrapSpawner.homes = env("HSML_HUB_HOMES", str(root / "homes"))
c.BubblewrapSpawner.exchange_root = exchange
c.BubblewrapSpawner.state_dir = str(root / "hub")
c.Spawner.mem_limit = env("HSML_HUB_MEM_LIMIT", "2G")
c.Spawner.cpu_limit = float(env("HSML_HUB_CPU_LIMIT", "1"))
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120  # a busy machine: the server imports JupyterLab and nbgrader
c.Spawner.http_timeout = 90

# --- who logs in ------------------------------------------------------------------------------
if env("HSML_HUB_SHARED_PASSWORD"):
    # JupyterHub's SharedPasswordAuthenticator: one password for every learner, another (at
    # least 32 characters) for the instructors. For a trial or the end-to-end test only.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = env("HSML_HUB_SHARED_PASSWORD")
    if env("HSML_HUB_INSTRUCTOR_PASSWORD"):
        c.SharedPasswordAuthenticator.admin_password = env("HSML_HUB_INSTRUCTOR_PASSWORD")
    c.Authenticator.allow_all = True
c.Authenticator.admin_users = instructors

# --- the instructor's formgrader, a hub service that only instructors reach ------------------
services, roles = [], []
if env("HSML_COURSE_DIR"):
    course_bin = Path(sys.executable).parent  # the course's own environment (nbgrader, course_tools)
    service_env = {
        "PATH": f"{course_bin}:/usr/local/bin:/usr/bin:/bin",  # nbgrader calls alembic from PATH
        "HSML_EXCHANGE_ROOT": exchange,
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
    }
    if env("HSML_GRADEBOOK_URL"):
        service_env["HSML_GRADEBOOK_URL"] = env("HSML_GRADEBOOK_URL")
    formgrader_cmd = [str(course_bin / "jupyterhub-singleuser"), "--ServerApp.terminals_enabled=False"]
    formgrader = {
        "name": "formgrader",
        "url": env("HSML_FORMGRADER_URL", "http://127.0.0.1:9999"),
        "command": formgrader_cmd,
        "cwd": env("HSML_COURSE_DIR"),
        "environment": service_env,
        "oauth_no_confirm": True,
    }
    if env("HSML_FORMGRADER_USER"):
        # a unix account of its own that owns the course folder (docs/COHORTS.md); the course's
        # environment and its Python must then be readable by it (not under /root)
        formgrader["user"] = env("HSML_FORMGRADER_USER")
    elif os.geteuid() == 0:
        formgrader_cmd.append("--allow-root")  # the hub's own user: a trial or the test only
    services.append(formgrader)
    c.JupyterHub.load_groups = {"instructors": {"users": sorted(instructors)}}
    roles.append(
        {
            "name": "instructors",
            "description": "Grade the cohort in the formgrader",
            "groups": ["instructors"],
            "scopes": ["access:services!service=formgrader"],
        }
    )
if env("HSML_HUB_ADMIN_TOKEN"):
    services.append({"name": "cohort-admin", "api_token": env("HSML_HUB_ADMIN_TOKEN")})
    roles.append(
        {
            "name": "cohort-admin",
            "description": "Create learners, start their servers, issue their tokens (roster scripts, tests)",
            "services": ["cohort-admin"],
            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"],
        }
    )
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles

if env("HSML_HUB_EXTRA_CONFIG"):
    load_subconfig(env("HSML_HUB_EXTRA_CONFIG"))  # noqa: F821 (provided by traitlets)
