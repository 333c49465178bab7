"""Benchmarks: generated data, runners and metrics (`hufu bench …`)."""
