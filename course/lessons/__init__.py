"""Each module's own experiments (fits, comparison tables, what its explorer precomputes), one file per module."""
