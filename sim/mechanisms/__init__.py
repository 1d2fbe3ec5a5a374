"""Mechanism modules: one rule each, run in the order given in sim/model.py."""
