"""Benchmarks (`hufu bench ...`) and the synthetic data they and the model training share."""
