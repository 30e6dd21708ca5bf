"""Synthetic test data with planted truths: `run --test`'s datasets and the module tests' shared genome."""
