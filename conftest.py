# Loads the notebook harness for every pytest run, including `pytest modules/NB.ipynb`
# (a conftest under tests/ would not be seen for paths outside tests/).
pytest_plugins = ["tests.modules.harness"]
