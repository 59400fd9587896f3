"""Each module's own experiments: fits, comparison tables and what its explorer precomputes."""
