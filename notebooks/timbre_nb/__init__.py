"""Helpers shared by Timbre's notebooks: one way to read Timbre's outputs locally or on EMR Studio."""
