"""Each module's own experiments: one file per module, named after its notebook."""
